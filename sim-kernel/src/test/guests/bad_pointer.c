/* Proves bad ranges, lengths and names passed to imports crash the node (none may return).
 * Requires test.v1.Echo (load echo.wasm too). */
#include <parigot.h>
#include <stdlib.h>

#include "testutil.h"

#define PAYLOAD_BYTES_OVER_LIMIT (5u * 1024u * 1024u)

static const char echo_service[] = "test.v1.Echo";
static const char echo_method[] = "Echo";

/* payload_ptr + payload_len overflows i32: a host adding them as int would pass the check. */
static void call_out_of_bounds(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    reply_i64(call, pg_abi_call(echo_service, sizeof echo_service - 1, echo_method,
                                sizeof echo_method - 1, (const void *)0x7ffffff0, 100000));
}

static void log_huge_length(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    pg_abi_log(PG_LOG_INFO, (const void *)16, 0x7fffffff);
    reply_i64(call, 0);
}

static void negative_length(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    static const uint8_t some[8];
    reply_i64(call, pg_abi_reply(call, PG_OK, some, -5));
}

static void not_utf8_service(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    static const char name[] = "\xff\xfe";
    reply_i64(call, pg_abi_call(name, 2, echo_method, sizeof echo_method - 1, NULL, 0));
}

static void payload_over_limit(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    uint8_t *big = malloc(PAYLOAD_BYTES_OVER_LIMIT);
    if (big == NULL) {
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return;
    }
    int64_t id = pg_abi_call(echo_service, sizeof echo_service - 1, echo_method,
                             sizeof echo_method - 1, big, (int32_t)PAYLOAD_BYTES_OVER_LIMIT);
    free(big);
    reply_i64(call, id);
}

int service_start(void) {
    int status = pg_export("test.v1.BadPointer");
    if (status != PG_OK) return status;
    status = pg_require("test.v1.Echo");
    if (status != PG_OK) return status;
    pg_handle("test.v1.BadPointer", "CallOutOfBounds", call_out_of_bounds);
    pg_handle("test.v1.BadPointer", "LogHugeLength", log_huge_length);
    pg_handle("test.v1.BadPointer", "NegativeLength", negative_length);
    pg_handle("test.v1.BadPointer", "NotUtf8Service", not_utf8_service);
    pg_handle("test.v1.BadPointer", "PayloadOverLimit", payload_over_limit);
    return PG_OK;
}
