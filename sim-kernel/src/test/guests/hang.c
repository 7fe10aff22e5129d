/* Proves a handler that never returns is stopped by the hang watchdog; Ok stays usable. */
#include <parigot.h>

static void spin(pg_call_id call, const uint8_t *req, size_t len) {
    (void)call, (void)req, (void)len;
    volatile uint64_t turns = 0; /* volatile: the loop is not optimised away */
    for (;;) turns++;
}

static void ok(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    pg_reply(call, PG_OK, NULL, 0);
}

int service_start(void) {
    pg_handle("test.v1.Hang", "Spin", spin);
    pg_handle("test.v1.Hang", "Ok", ok);
    return pg_export("test.v1.Hang");
}
