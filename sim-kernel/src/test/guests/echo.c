/* Proves the basic round trip: Echo returns the request bytes; Log reaches the unified log. */
#include <parigot.h>

static void echo(pg_call_id call, const uint8_t *req, size_t len) {
    pg_reply(call, PG_OK, req, len);
}

static void log_text(pg_call_id call, const uint8_t *req, size_t len) {
    pg_log(PG_LOG_INFO, "%.*s", (int)len, (const char *)req);
    pg_reply(call, PG_OK, NULL, 0);
}

int service_start(void) {
    pg_handle("test.v1.Echo", "Echo", echo);
    pg_handle("test.v1.Echo", "Log", log_text);
    return pg_export("test.v1.Echo");
}
