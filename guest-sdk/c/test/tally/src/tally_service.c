/* tally.v1.Tally/Add: a service built on the library; its log names where both came from. */
#include <parigot.h>
#include <tally/tally.h>

static tally totals;

static void add(pg_call_id call, const uint8_t *req, size_t len) {
    for (size_t i = 0; i < len; i++) tally_add(&totals, req[i]);
    pg_log(PG_LOG_INFO, TALLY_NAME " mean %lld (%s, %s)", (long long)tally_mean(&totals),
           tally_header_file(), tally_source_file());
    pg_reply(call, PG_OK, NULL, 0);
}

int service_start(void) {
    pg_handle("tally.v1.Tally", "Add", add);
    return pg_export("tally.v1.Tally");
}
