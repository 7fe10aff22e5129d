/*
 * bench.v1.Pong: Ping answers with the same seq and body. PingReply has the field numbers
 * and types of PingRequest, so the request bytes are the reply bytes: no decode, no copy.
 */
#include <parigot.h>

static void ping(pg_call_id call, const uint8_t *req, size_t len) {
    pg_reply(call, PG_OK, req, len);
}

int service_start(void) {
    pg_handle("bench.v1.Pong", "Ping", ping);
    return pg_export("bench.v1.Pong");
}
