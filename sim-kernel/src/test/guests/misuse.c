/* Proves every misuse status of ABI v1: each method replies i64 of what the kernel returned.
 * Requires test.v1.Echo (load echo.wasm too). */
#include <parigot.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define SERVICE "test.v1.Misuse"

static int64_t export_twice_status = -1;  /* 2nd export_service of SERVICE at start (6) */
static int64_t call_during_start = 1;     /* `call` during parigot_start (-9) */
static int64_t second_reply_status = -1;  /* 2nd reply to one call, by ReplyTwice (9) */

static int64_t raw_call(const char *svc, const char *method) {
    return pg_abi_call(svc, (int32_t)strlen(svc), method, (int32_t)strlen(method), NULL, 0);
}

static void call_unrequired(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    reply_i64(call, raw_call("other.v1.Nope", "X"));
}

static void reply_unknown(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    reply_i64(call, pg_abi_reply(987654321, PG_OK, NULL, 0));
}

static void reply_twice(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    pg_reply(call, PG_OK, NULL, 0); /* the caller gets this one: OK, empty */
    second_reply_status = pg_reply(call, PG_OK, NULL, 0);
    pg_log(PG_LOG_WARN, "second reply status=%d", (int)second_reply_status);
}

static void last_second_reply(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    reply_i64(call, second_reply_status);
}

static void bad_status(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    int32_t status = pg_abi_reply(call, 99, NULL, 0); /* nothing is sent */
    reply_i64(call, status);
}

static void timer_negative(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    reply_i64(call, pg_abi_timer_set(-1));
}

static void timer_cancel_unknown(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    reply_i64(call, pg_abi_timer_cancel(424242));
}

static void export_outside_start(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    reply_i64(call, pg_export("test.v1.Late"));
}

static void export_twice_at_start(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    reply_i64(call, export_twice_status);
}

static void call_during_start_result(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    reply_i64(call, call_during_start);
}

static void on_echo(void *ctx, int status, const uint8_t *payload, size_t len) {
    (void)payload;
    pg_call_id *caller = ctx;
    reply_i64(*caller, (int64_t)status * 1000000 + (int64_t)len);
    free(caller);
}

static void call_echo(pg_call_id call, const uint8_t *req, size_t len) {
    pg_call_id *caller = malloc(sizeof *caller); /* a call id does not fit in a wasm32 void* */
    if (caller == NULL) {
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return;
    }
    *caller = call;
    int64_t id = pg_call("test.v1.Echo", "Echo", req, len, on_echo, caller);
    if (id <= 0) {
        free(caller);
        reply_i64(call, id);
    }
}

int service_start(void) {
    int status = pg_export(SERVICE);
    if (status != PG_OK) return status;
    export_twice_status = pg_export(SERVICE);
    status = pg_require("test.v1.Echo");
    if (status != PG_OK) return status;
    call_during_start = raw_call("test.v1.Echo", "Echo");
    pg_handle(SERVICE, "CallUnrequired", call_unrequired);
    pg_handle(SERVICE, "ReplyUnknown", reply_unknown);
    pg_handle(SERVICE, "ReplyTwice", reply_twice);
    pg_handle(SERVICE, "LastSecondReply", last_second_reply);
    pg_handle(SERVICE, "BadStatus", bad_status);
    pg_handle(SERVICE, "TimerNegative", timer_negative);
    pg_handle(SERVICE, "TimerCancelUnknown", timer_cancel_unknown);
    pg_handle(SERVICE, "ExportOutsideStart", export_outside_start);
    pg_handle(SERVICE, "ExportTwiceAtStart", export_twice_at_start);
    pg_handle(SERVICE, "CallDuringStart", call_during_start_result);
    pg_handle(SERVICE, "CallEcho", call_echo);
    return PG_OK;
}
