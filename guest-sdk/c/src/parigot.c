/*
 * parigot.c: the ABI v1 exports and the SDK's bookkeeping (see include/parigot.h).
 *
 * The kernel calls the exports one event at a time and each runs to completion, so the
 * state below needs no locking. Every table has a fixed bound; exceeding one is reported
 * to the caller as RESOURCE_EXHAUSTED, never as a crash.
 */
#include "parigot.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- pending calls and timers: id -> callback, open addressing ---------------------- */

/* Twice the entry bound, a power of two, so that probe sequences stay short when full. */
#define PENDING_SLOTS 2048u
#define PENDING_SLOT_MASK (PENDING_SLOTS - 1u)

_Static_assert(PENDING_SLOTS >= 2 * PG_CALLS_PENDING_MAX, "call table too dense");
_Static_assert(PENDING_SLOTS >= 2 * PG_TIMERS_PENDING_MAX, "timer table too dense");

typedef struct {
    int64_t id;      /* call or timer id; 0 marks a free slot (kernel ids are > 0) */
    int64_t partner; /* call: its deadline timer; timer: the call it is a deadline of; or 0 */
    union {
        pg_result_fn result;
        pg_timer_fn timer;
    } fn;
    void *ctx;
} pending;

typedef struct {
    pending slot[PENDING_SLOTS];
    uint32_t count;
} pending_table;

static pending_table calls;
static pending_table timers;

static uint32_t slot_home(int64_t id) {
    /* Fibonacci hashing: kernel ids are sequential across the world, spread them out. */
    return (uint32_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 53) & PENDING_SLOT_MASK;
}

static int32_t pending_find(const pending_table *t, int64_t id) {
    uint32_t i = slot_home(id);
    for (uint32_t probes = 0; probes < PENDING_SLOTS; probes++) {
        if (t->slot[i].id == id) return (int32_t)i;
        if (t->slot[i].id == 0) return -1;
        i = (i + 1u) & PENDING_SLOT_MASK;
    }
    return -1;
}

/* The caller has checked count against the table's bound, so a free slot exists. */
static void pending_insert(pending_table *t, pending entry) {
    uint32_t i = slot_home(entry.id);
    while (t->slot[i].id != 0) i = (i + 1u) & PENDING_SLOT_MASK;
    t->slot[i] = entry;
    t->count++;
}

/* Removes slot i by shifting later members of its probe run back (no tombstones). */
static void pending_remove(pending_table *t, uint32_t i) {
    t->count--;
    for (;;) {
        t->slot[i].id = 0;
        uint32_t j = i;
        for (;;) {
            j = (j + 1u) & PENDING_SLOT_MASK;
            if (t->slot[j].id == 0) return;
            uint32_t home = slot_home(t->slot[j].id);
            /* slot j may fill the hole at i unless its home lies cyclically in (i, j]. */
            if (((j - home) & PENDING_SLOT_MASK) >= ((j - i) & PENDING_SLOT_MASK)) break;
        }
        t->slot[i] = t->slot[j];
        i = j;
    }
}

/* Removes and returns the entry for id; entry.id == 0 if there was none. */
static pending pending_take(pending_table *t, int64_t id) {
    pending entry = {0};
    int32_t i = pending_find(t, id);
    if (i < 0) return entry;
    entry = t->slot[i];
    pending_remove(t, (uint32_t)i);
    return entry;
}

/* ---- handlers --------------------------------------------------------------------- */

typedef struct {
    const char *service;
    size_t service_len;
    const char *method;
    size_t method_len;
    pg_method_fn fn;
} handler;

static handler handlers[PG_HANDLERS_MAX];
static uint32_t handlers_count;

static pg_method_fn handler_find(const uint8_t *service, size_t service_len,
                                 const uint8_t *method, size_t method_len) {
    for (uint32_t i = 0; i < handlers_count; i++) {
        const handler *h = &handlers[i];
        if (h->service_len == service_len && h->method_len == method_len &&
            memcmp(h->service, service, service_len) == 0 &&
            memcmp(h->method, method, method_len) == 0) {
            return h->fn;
        }
    }
    return NULL;
}

int pg_handle(const char *service, const char *method, pg_method_fn fn) {
    if (service == NULL || method == NULL || fn == NULL) return PG_INVALID_ARGUMENT;
    size_t service_len = strlen(service);
    size_t method_len = strlen(method);
    if (handler_find((const uint8_t *)service, service_len, (const uint8_t *)method,
                     method_len) != NULL) {
        return PG_ALREADY_EXISTS;
    }
    if (handlers_count >= PG_HANDLERS_MAX) return PG_RESOURCE_EXHAUSTED;
    handlers[handlers_count++] = (handler){service, service_len, method, method_len, fn};
    return PG_OK;
}

/* ---- ABI v1 exports --------------------------------------------------------------- */

/* Its presence marks a v1 service; the kernel never calls it. */
__attribute__((export_name("parigot_abi_v1"))) void parigot_abi_v1(void) {}

/* The kernel delivers one event at a time and the SDK releases its block when the handler
 * returns, so one reusable buffer serves every event that fits; only larger ones (or one
 * asked for while the buffer is taken) cost a malloc. This keeps malloc off the hot path. */
#define PG_EVENT_BUFFER_BYTES 4096
static uint8_t event_buffer[PG_EVENT_BUFFER_BYTES];
static int event_buffer_taken;

/* Blocks for events that carry bytes; the SDK frees them after dispatch. Calls no import. */
__attribute__((export_name("parigot_alloc"))) void *parigot_alloc(int32_t size) {
    if (size < 0) return NULL;
    if (!event_buffer_taken && size <= PG_EVENT_BUFFER_BYTES) {
        event_buffer_taken = 1;
        return event_buffer;
    }
    return malloc((size_t)size); /* size 0 (never asked by the ABI) still gets a block */
}

static void event_free(void *block) {
    if (block == event_buffer) {
        event_buffer_taken = 0;
    } else {
        free(block);
    }
}

__attribute__((weak)) int service_ready(void) { return 0; }

__attribute__((export_name("parigot_start"))) int32_t parigot_start(void) {
    return service_start();
}

/* libc's rand() would give every node the same sequence (replicas of one module would draw
 * alike), so the SDK seeds it from the node's random_bytes before service_ready runs; start
 * may call no such import, so rand() there gives libc's default sequence. The reference is
 * weak: a guest that never uses rand() links no srand, and its random stream is not drawn
 * from (pg_random and getentropy see the same bytes as without this). */
extern void srand(unsigned int seed) __attribute__((weak));

static void seed_libc_rand(void) {
    if (srand == NULL) return;
    unsigned int seed;
    pg_abi_random_bytes(&seed, (int32_t)sizeof seed);
    srand(seed);
}

__attribute__((export_name("parigot_ready"))) int32_t parigot_ready(void) {
    seed_libc_rand();
    return service_ready();
}

__attribute__((export_name("parigot_on_call"))) void parigot_on_call(
    int64_t call, uint8_t *service, int32_t service_len, const uint8_t *method,
    int32_t method_len, const uint8_t *payload, int32_t payload_len) {
    /* A replica address `service@node` names the same service: match the plain name. */
    const uint8_t *at = memchr(service, '@', (size_t)service_len);
    size_t plain_len = at != NULL ? (size_t)(at - service) : (size_t)service_len;
    pg_method_fn fn = handler_find(service, plain_len, method, (size_t)method_len);
    if (fn != NULL) {
        fn(call, payload_len > 0 ? payload : NULL, (size_t)payload_len);
    } else {
        pg_abi_reply(call, PG_UNIMPLEMENTED, NULL, 0);
    }
    event_free(service); /* the event's block starts at the service name */
}

__attribute__((export_name("parigot_on_result"))) void parigot_on_result(
    int64_t call, int32_t status, uint8_t *payload, int32_t payload_len) {
    pending entry = pending_take(&calls, call);
    if (entry.id != 0) {
        if (entry.partner != 0) { /* the result beat its deadline: disarm the timer */
            pending_take(&timers, entry.partner);
            pg_abi_timer_cancel(entry.partner);
        }
        entry.fn.result(entry.ctx, status, payload_len > 0 ? payload : NULL,
                        (size_t)payload_len);
    }
    /* else: a late result after a deadline, or a fire-and-forget call: dropped. */
    event_free(payload);
}

__attribute__((export_name("parigot_on_timer"))) void parigot_on_timer(int64_t timer) {
    pending entry = pending_take(&timers, timer);
    if (entry.id == 0) return; /* set through the raw import: not ours */
    if (entry.partner == 0) {
        entry.fn.timer(entry.ctx, timer);
        return;
    }
    /* A deadline fired first: fail the call now; its result, if it comes, is dropped. */
    pending call = pending_take(&calls, entry.partner);
    if (call.id != 0) call.fn.result(call.ctx, PG_DEADLINE_EXCEEDED, NULL, 0);
}

/* ---- boot ------------------------------------------------------------------------- */

int pg_export(const char *service) {
    return pg_abi_export_service(service, (int32_t)strlen(service));
}

int pg_require(const char *service) {
    return pg_abi_require_service(service, (int32_t)strlen(service));
}

/* ---- calls ------------------------------------------------------------------------ */

static int64_t call_raw(const char *service, const char *method, const void *payload,
                        size_t len) {
    if (len > INT32_MAX) return -PG_INVALID_ARGUMENT;
    return pg_abi_call(service, (int32_t)strlen(service), method, (int32_t)strlen(method),
                       payload, (int32_t)len);
}

int64_t pg_call(const char *service, const char *method, const void *payload, size_t len,
                pg_result_fn cb, void *ctx) {
    if (cb != NULL && calls.count >= PG_CALLS_PENDING_MAX) return -PG_RESOURCE_EXHAUSTED;
    int64_t call = call_raw(service, method, payload, len);
    if (call > 0 && cb != NULL) {
        pending_insert(&calls, (pending){.id = call, .fn.result = cb, .ctx = ctx});
    }
    return call;
}

int64_t pg_call_timeout(const char *service, const char *method, const void *payload,
                        size_t len, int64_t timeout_ns, pg_result_fn cb, void *ctx) {
    if (timeout_ns < 0) return -PG_INVALID_ARGUMENT;
    if (cb == NULL) return pg_call(service, method, payload, len, NULL, NULL);
    if (calls.count >= PG_CALLS_PENDING_MAX || timers.count >= PG_TIMERS_PENDING_MAX) {
        return -PG_RESOURCE_EXHAUSTED;
    }
    int64_t call = call_raw(service, method, payload, len);
    if (call <= 0) return call;
    int64_t timer = pg_abi_timer_set(timeout_ns);
    if (timer > 0) {
        pending_insert(&timers, (pending){.id = timer, .partner = call});
    } else {
        timer = 0; /* cannot happen for a non-negative delay; the call just has no deadline */
    }
    pending_insert(&calls, (pending){.id = call, .partner = timer, .fn.result = cb, .ctx = ctx});
    return call;
}

int pg_reply(pg_call_id call, int status, const void *payload, size_t len) {
    if (len > INT32_MAX) return PG_INVALID_ARGUMENT;
    return pg_abi_reply(call, status, payload, (int32_t)len);
}

/* ---- time, randomness --------------------------------------------------------------- */

int64_t pg_timer(int64_t delay_ns, pg_timer_fn cb, void *ctx) {
    if (delay_ns < 0) return -PG_INVALID_ARGUMENT;
    if (cb == NULL) return -PG_INVALID_ARGUMENT;
    if (timers.count >= PG_TIMERS_PENDING_MAX) return -PG_RESOURCE_EXHAUSTED;
    int64_t timer = pg_abi_timer_set(delay_ns);
    if (timer > 0) pending_insert(&timers, (pending){.id = timer, .fn.timer = cb, .ctx = ctx});
    return timer;
}

int pg_timer_cancel(int64_t timer) {
    int32_t i = pending_find(&timers, timer);
    if (i >= 0) {
        if (timers.slot[i].partner != 0) return PG_NOT_FOUND; /* a deadline, not the user's */
        pending_remove(&timers, (uint32_t)i);
    }
    return pg_abi_timer_cancel(timer);
}

int64_t pg_now_ns(void) { return pg_abi_now_ns(); }

void pg_random(void *buf, size_t len) {
    uint8_t *p = buf;
    while (len > 0) {
        int32_t chunk = len > INT32_MAX ? INT32_MAX : (int32_t)len;
        pg_abi_random_bytes(p, chunk);
        p += chunk;
        len -= (size_t)chunk;
    }
}

/* ---- logging, lifecycle, testing aids ----------------------------------------------- */

void pg_log(int level, const char *fmt, ...) {
    static char text[PG_LOG_BYTES_MAX];
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    if (n < 0) { /* an encoding error: log the format itself rather than nothing */
        pg_abi_log(level, fmt, (int32_t)strlen(fmt));
        return;
    }
    size_t len = (size_t)n;
    if (len >= sizeof text) { /* truncated: cut on a UTF-8 boundary and say so */
        len = sizeof text - 4;
        while (len > 0 && ((uint8_t)text[len] & 0xC0u) == 0x80u) len--;
        memcpy(text + len, "...", 3);
        len += 3;
    }
    pg_abi_log(level, text, (int32_t)len);
}

void pg_exit(int code) { pg_abi_exit(code); }

int pg_buggify(const char *site) { return pg_abi_buggify(site, (int32_t)strlen(site)); }

static void assert_kind(int32_t kind, int cond, const char *msg) {
    pg_abi_assert(kind, cond != 0, msg, (int32_t)strlen(msg));
}

void pg_assert_always(int cond, const char *msg) { assert_kind(PG_ASSERT_ALWAYS, cond, msg); }

void pg_assert_sometimes(int cond, const char *msg) {
    assert_kind(PG_ASSERT_SOMETIMES, cond, msg);
}

void pg_assert_reachable(const char *msg) { assert_kind(PG_ASSERT_REACHABLE, 1, msg); }

void pg_assert_unreachable(const char *msg) { assert_kind(PG_ASSERT_UNREACHABLE, 1, msg); }
