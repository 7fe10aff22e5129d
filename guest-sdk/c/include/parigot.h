/*
 * parigot.h: the C SDK for Parigot Sim guests (ABI v1).
 *
 * A guest is a WASI reactor: the kernel owns the event loop and calls the ABI exports,
 * which this SDK defines (src/parigot.c). The service author writes two hooks instead:
 *
 *   int service_start(void);   declare exports/requires and register handlers; 0 = ok
 *   int service_ready(void);   optional; runs once every required service is ready
 *
 * and handlers registered with pg_handle(). Every function here is non-blocking; results
 * and timers arrive later as callbacks, one event at a time, on the kernel's thread.
 * See guest-sdk/c/README.md for a complete example and the memory rules.
 */
#ifndef PARIGOT_H
#define PARIGOT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* gRPC canonical status codes, as ABI v1 uses them. */
enum {
    PG_OK = 0,
    PG_CANCELLED = 1,
    PG_UNKNOWN = 2,
    PG_INVALID_ARGUMENT = 3,
    PG_DEADLINE_EXCEEDED = 4,
    PG_NOT_FOUND = 5,
    PG_ALREADY_EXISTS = 6,
    PG_PERMISSION_DENIED = 7,
    PG_RESOURCE_EXHAUSTED = 8,
    PG_FAILED_PRECONDITION = 9,
    PG_ABORTED = 10,
    PG_OUT_OF_RANGE = 11,
    PG_UNIMPLEMENTED = 12,
    PG_INTERNAL = 13,
    PG_UNAVAILABLE = 14,
    PG_DATA_LOSS = 15,
    PG_UNAUTHENTICATED = 16,
};

/* Log levels of the `log` import. */
enum {
    PG_LOG_TRACE = 0,
    PG_LOG_DEBUG = 1,
    PG_LOG_INFO = 2,
    PG_LOG_WARN = 3,
    PG_LOG_ERROR = 4,
};

/* Bounds of the SDK's fixed tables; exceeding one is reported as RESOURCE_EXHAUSTED. */
#define PG_CALLS_PENDING_MAX 1024   /* outgoing calls awaiting a result callback */
#define PG_TIMERS_PENDING_MAX 1024  /* timers set with pg_timer or pg_call_timeout */
#define PG_HANDLERS_MAX 128         /* (service, method) pairs registered with pg_handle */
#define PG_LOG_BYTES_MAX 1024       /* pg_log text longer than this is truncated */

/* A call id as the kernel assigns it: positive, unique within a world, never reused. */
typedef int64_t pg_call_id;

/*
 * Handler of an incoming call. `req` is valid only until the handler returns (the SDK
 * frees the event's block then): copy what you keep. Answer with pg_reply(), now or from a
 * later callback.
 */
typedef void (*pg_method_fn)(pg_call_id call, const uint8_t *req, size_t req_len);

/*
 * Result of an outgoing call: status is a PG_* code (from the callee, from the kernel, or
 * PG_DEADLINE_EXCEEDED from pg_call_timeout). `payload` is valid only during the callback.
 */
typedef void (*pg_result_fn)(void *ctx, int status, const uint8_t *payload, size_t len);

/* A timer set with pg_timer fired; `timer` is the id pg_timer returned. */
typedef void (*pg_timer_fn)(void *ctx, int64_t timer);

/* ---- hooks the service author writes ---------------------------------------------- */

/* Runs once at boot (parigot_start). Only pg_export, pg_require, pg_handle and pg_log may
 * be used here. Non-zero aborts boot. Required. */
int service_start(void);

/* Runs once every required service is ready (parigot_ready). Non-zero fails boot.
 * Optional: the SDK's weak default returns 0. */
int service_ready(void);

/* ---- boot ------------------------------------------------------------------------- */

/* Declares that this node serves `service` (a fully qualified protobuf service name).
 * Returns a PG_* status: 6 if exported twice, 9 outside service_start. */
int pg_export(const char *service);

/* Declares that this node calls `service`; boot orders readiness by these. Status. */
int pg_require(const char *service);

/* Routes incoming calls of service/method to fn. Both strings must outlive the node
 * (string literals do). Returns PG_OK, PG_ALREADY_EXISTS for a pair registered twice,
 * PG_INVALID_ARGUMENT for NULL arguments, PG_RESOURCE_EXHAUSTED past PG_HANDLERS_MAX.
 * Calls to a pair with no handler are answered PG_UNIMPLEMENTED by the SDK. */
int pg_handle(const char *service, const char *method, pg_method_fn fn);

/* ---- calls ------------------------------------------------------------------------ */

/* Calls service/method with payload (copied before this returns: stack buffers are fine).
 * Returns the call id (> 0), or minus a status: -9 if the service was not required, -8 if
 * PG_CALLS_PENDING_MAX results are already awaited, -3 for an oversized length. `cb` runs
 * once with the result; cb == NULL drops the result without using a table entry. */
int64_t pg_call(const char *service, const char *method, const void *payload, size_t len,
                pg_result_fn cb, void *ctx);

/* pg_call with a deadline: a timer of timeout_ns races the result. If the timer wins, cb
 * gets PG_DEADLINE_EXCEEDED (empty payload) and a late result is dropped; if the result
 * wins, the timer is cancelled. cb runs exactly once. Uses one call and one timer entry;
 * returns -8 if either table is full, -3 for a negative timeout. */
int64_t pg_call_timeout(const char *service, const char *method, const void *payload,
                        size_t len, int64_t timeout_ns, pg_result_fn cb, void *ctx);

/* Answers an incoming call (once; now or from a later callback). The payload is copied.
 * Returns a status: 5 unknown id, 9 already answered, 3 status outside 0..16. */
int pg_reply(pg_call_id call, int status, const void *payload, size_t len);

/* ---- time, randomness --------------------------------------------------------------- */

/* Fires cb(ctx, id) after delay_ns of virtual time. Returns the timer id (> 0), -3 for a
 * negative delay, -8 if PG_TIMERS_PENDING_MAX timers are pending. */
int64_t pg_timer(int64_t delay_ns, pg_timer_fn cb, void *ctx);

/* Cancels a pending timer. Status: 0, or 5 if unknown or already fired. */
int pg_timer_cancel(int64_t timer);

/* Virtual time in nanoseconds. */
int64_t pg_now_ns(void);

/* Fills buf with bytes from the world's seeded stream. */
void pg_random(void *buf, size_t len);

/* ---- logging, lifecycle, testing aids ----------------------------------------------- */

/* printf-style line into the world's unified log (truncated at PG_LOG_BYTES_MAX). */
void pg_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Stops this node after the current handler returns (it does return: finish the handler
 * promptly). Replies made earlier in the handler are delivered; timers are cancelled;
 * results still outstanding are dropped. A non-zero code fails the world unless expected. */
void pg_exit(int code);

/* 1 = take the rare path at this site now (FoundationDB's BUGGIFY). Always 0 outside
 * simulation. `site` names the place in the code, e.g. "ledger.put.slow". */
int pg_buggify(const char *site);

/* Antithesis-style assertions, reported by the kernel. `msg` identifies the assertion. */
void pg_assert_always(int cond, const char *msg);    /* cond must hold every time */
void pg_assert_sometimes(int cond, const char *msg); /* cond must hold at least once */
void pg_assert_reachable(const char *msg);           /* must be reached at least once */
void pg_assert_unreachable(const char *msg);         /* must never be reached */

/* ---- raw ABI v1 imports (module "parigot") ------------------------------------------
 * The SDK is written on these. Using them directly bypasses its bookkeeping: the result
 * of a raw pg_abi_call and the firing of a raw pg_abi_timer_set reach no callback (the SDK
 * drops them). Pointers are offsets in linear memory; lengths are i32. */
#define PG_IMPORT(name) __attribute__((import_module("parigot"), import_name(name)))

PG_IMPORT("export_service") int32_t pg_abi_export_service(const void *name, int32_t name_len);
PG_IMPORT("require_service") int32_t pg_abi_require_service(const void *name, int32_t name_len);
PG_IMPORT("call") int64_t pg_abi_call(const void *svc, int32_t svc_len, const void *method,
                                      int32_t method_len, const void *payload,
                                      int32_t payload_len);
PG_IMPORT("reply") int32_t pg_abi_reply(int64_t call, int32_t status, const void *payload,
                                        int32_t payload_len);
PG_IMPORT("timer_set") int64_t pg_abi_timer_set(int64_t delay_ns);
PG_IMPORT("timer_cancel") int32_t pg_abi_timer_cancel(int64_t timer);
PG_IMPORT("now_ns") int64_t pg_abi_now_ns(void);
PG_IMPORT("random_bytes") void pg_abi_random_bytes(void *buf, int32_t len);
PG_IMPORT("log") void pg_abi_log(int32_t level, const void *text, int32_t text_len);
PG_IMPORT("exit") void pg_abi_exit(int32_t code);
PG_IMPORT("buggify") int32_t pg_abi_buggify(const void *site, int32_t site_len);
PG_IMPORT("assert") void pg_abi_assert(int32_t kind, int32_t cond, const void *msg,
                                       int32_t msg_len);

#undef PG_IMPORT

/* Kinds of the `assert` import. */
enum {
    PG_ASSERT_ALWAYS = 0,
    PG_ASSERT_SOMETIMES = 1,
    PG_ASSERT_REACHABLE = 2,
    PG_ASSERT_UNREACHABLE = 3,
};

#ifdef __cplusplus
}
#endif

#endif /* PARIGOT_H */
