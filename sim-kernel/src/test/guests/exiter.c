/* Proves `exit`: a reply made before it is delivered; the node then stops, with its code. */
#include <parigot.h>

static void exit_three(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    pg_reply(call, PG_OK, NULL, 0);
    pg_exit(3);
}

static void exit_zero(pg_call_id call, const uint8_t *req, size_t len) {
    (void)call, (void)req, (void)len;
    pg_exit(0); /* no reply: the caller gets UNAVAILABLE */
}

int service_start(void) {
    pg_handle("test.v1.Exiter", "Exit", exit_three);
    pg_handle("test.v1.Exiter", "ExitZero", exit_zero);
    return pg_export("test.v1.Exiter");
}
