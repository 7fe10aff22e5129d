/*
 * Native unit test of the C SDK (parigot.c, parigot_pb.c, parigot_storage.c) against a
 * fake kernel: the pending-call and timer tables, deadlines, dispatch, log truncation, the
 * storage messages, and the protobuf reader on malformed and random input (run under
 * AddressSanitizer by run.sh, so any read outside the input fails the test).
 */
#include <parigot.h>
#include <parigot_pb.h>
#include <parigot_storage.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                              \
        }                                                                            \
    } while (0)

/* The ABI exports, defined by parigot.c. */
void *parigot_alloc(int32_t size);
int32_t parigot_start(void);
int32_t parigot_ready(void);
void parigot_on_call(int64_t call, uint8_t *svc, int32_t svc_len, const uint8_t *method,
                     int32_t method_len, const uint8_t *payload, int32_t payload_len);
void parigot_on_result(int64_t call, int32_t status, uint8_t *payload, int32_t payload_len);
void parigot_on_timer(int64_t timer);

/* ---- the fake kernel ------------------------------------------------------------------ */

static uint64_t rng_state = 0x5eed;
static uint64_t rng_next(void) { /* SplitMix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int64_t ids_next = 1;      /* call and timer ids share one sequence, as in a world */
static int64_t call_result_forced; /* when non-zero, `call` returns it */
static char call_last_svc[64];
static char call_last_method[64];
static uint8_t call_last_payload[2048];
static int32_t call_last_len;
static int64_t reply_last_call;
static int32_t reply_last_status;
static int32_t reply_last_len;
static int64_t timer_cancel_last;
static int32_t log_last_len;
static char log_last[4096];
static int started;

int32_t pg_abi_export_service(const void *name, int32_t name_len) {
    (void)name, (void)name_len;
    return started ? PG_FAILED_PRECONDITION : PG_OK;
}
int32_t pg_abi_require_service(const void *name, int32_t name_len) {
    (void)name, (void)name_len;
    return PG_OK;
}
int64_t pg_abi_call(const void *svc, int32_t svc_len, const void *method, int32_t method_len,
                    const void *payload, int32_t payload_len) {
    if (call_result_forced != 0) return call_result_forced;
    snprintf(call_last_svc, sizeof call_last_svc, "%.*s", (int)svc_len, (const char *)svc);
    snprintf(call_last_method, sizeof call_last_method, "%.*s", (int)method_len,
             (const char *)method);
    call_last_len = payload_len;
    if ((size_t)payload_len <= sizeof call_last_payload && payload_len > 0) {
        memcpy(call_last_payload, payload, (size_t)payload_len);
    }
    return ids_next += 1 + (int64_t)(rng_next() % 5); /* sparse, like ids shared by nodes */
}
int32_t pg_abi_reply(int64_t call, int32_t status, const void *payload, int32_t payload_len) {
    (void)payload;
    reply_last_call = call;
    reply_last_status = status;
    reply_last_len = payload_len;
    return PG_OK;
}
int64_t pg_abi_timer_set(int64_t delay_ns) {
    if (delay_ns < 0) return -PG_INVALID_ARGUMENT;
    return ids_next += 1;
}
int32_t pg_abi_timer_cancel(int64_t timer) {
    timer_cancel_last = timer;
    return PG_OK;
}
int64_t pg_abi_now_ns(void) { return 42; }
void pg_abi_random_bytes(void *buf, int32_t len) { memset(buf, 7, (size_t)len); }
void pg_abi_log(int32_t level, const void *text, int32_t text_len) {
    (void)level;
    log_last_len = text_len;
    memcpy(log_last, text, (size_t)text_len < sizeof log_last ? (size_t)text_len : 0);
}
void pg_abi_exit(int32_t code) { (void)code; }
int32_t pg_abi_buggify(const void *site, int32_t site_len) {
    (void)site, (void)site_len;
    return 0;
}
void pg_abi_assert(int32_t kind, int32_t cond, const void *msg, int32_t msg_len) {
    (void)kind, (void)cond, (void)msg, (void)msg_len;
}

/* A block as the kernel hands it over: allocated through parigot_alloc. */
static uint8_t *block_of(const void *bytes, size_t len) {
    if (len == 0) return NULL;
    uint8_t *b = parigot_alloc((int32_t)len);
    memcpy(b, bytes, len);
    return b;
}

static void deliver_call(int64_t call, const char *svc, const char *method, const char *payload) {
    size_t s = strlen(svc), m = strlen(method), p = strlen(payload);
    uint8_t *b = parigot_alloc((int32_t)(s + m + p));
    memcpy(b, svc, s);
    memcpy(b + s, method, m);
    memcpy(b + s + m, payload, p);
    parigot_on_call(call, b, (int32_t)s, b + s, (int32_t)m, b + s + m, (int32_t)p);
}

/* ---- the service under test -------------------------------------------------------- */

static int64_t handled_call;
static char handled_payload[64];

static void handle_get(pg_call_id call, const uint8_t *req, size_t len) {
    handled_call = call;
    if (len > 0) memcpy(handled_payload, req, len);
    handled_payload[len] = '\0';
    pg_reply(call, PG_OK, req, len);
}

int service_start(void) {
    CHECK(pg_handle("t.v1.S", "Get", handle_get) == PG_OK);
    CHECK(pg_handle("t.v1.S", "Get", handle_get) == PG_ALREADY_EXISTS);
    CHECK(pg_handle(NULL, "Get", handle_get) == PG_INVALID_ARGUMENT);
    return pg_export("t.v1.S");
}

/* ---- tests --------------------------------------------------------------------------- */

static void test_dispatch(void) {
    CHECK(parigot_start() == PG_OK);
    started = 1;
    CHECK(parigot_ready() == 0); /* the weak default */
    int drawn = rand(); /* seeded by parigot_ready from random_bytes, which gives 7s here */
    srand(0x07070707u);
    CHECK(rand() == drawn);
    srand(1u); /* libc's default seed */
    CHECK(rand() != drawn);
    deliver_call(11, "t.v1.S", "Get", "abc");
    CHECK(handled_call == 11 && strcmp(handled_payload, "abc") == 0);
    CHECK(reply_last_call == 11 && reply_last_status == PG_OK && reply_last_len == 3);
    deliver_call(12, "t.v1.S@node2", "Get", "");
    CHECK(handled_call == 12 && handled_payload[0] == '\0');
    deliver_call(13, "t.v1.S", "Put", "x");
    CHECK(reply_last_call == 13 && reply_last_status == PG_UNIMPLEMENTED);
    deliver_call(14, "t.v1.Other", "Get", "x");
    CHECK(reply_last_call == 14 && reply_last_status == PG_UNIMPLEMENTED);
}

typedef struct {
    int64_t id;
    int results;
    int status;
} probe;

static void on_probe(void *ctx, int status, const uint8_t *payload, size_t len) {
    probe *p = ctx;
    p->results++;
    p->status = status;
    CHECK((payload == NULL) == (len == 0));
}

/* Fills the call table, overflows it, then drains it in random order, several times. */
static void test_call_table(void) {
    static probe probes[PG_CALLS_PENDING_MAX];
    for (int round = 0; round < 20; round++) {
        for (int i = 0; i < PG_CALLS_PENDING_MAX; i++) {
            probes[i] = (probe){0};
            probes[i].id = pg_call("t.v1.S", "Get", "q", 1, on_probe, &probes[i]);
            CHECK(probes[i].id > 0);
        }
        CHECK(pg_call("t.v1.S", "Get", "q", 1, on_probe, NULL) == -PG_RESOURCE_EXHAUSTED);
        CHECK(pg_call("t.v1.S", "Get", "q", 1, NULL, NULL) > 0); /* needs no entry */
        int order[PG_CALLS_PENDING_MAX];
        for (int i = 0; i < PG_CALLS_PENDING_MAX; i++) order[i] = i;
        for (int i = PG_CALLS_PENDING_MAX - 1; i > 0; i--) {
            int j = (int)(rng_next() % (uint64_t)(i + 1)), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int k = 0; k < PG_CALLS_PENDING_MAX; k++) {
            probe *p = &probes[order[k]];
            parigot_on_result(p->id, k % 17, block_of("reply", (size_t)(k % 6)), k % 6);
            CHECK(p->results == 1 && p->status == k % 17);
            parigot_on_result(p->id, 0, block_of("dup", 3), 3); /* unknown now: dropped */
            CHECK(p->results == 1);
            if (k % 3 == 0) { /* refill some slots while draining, to interleave probe runs */
                probe extra = {0};
                extra.id = pg_call("t.v1.S", "Get", NULL, 0, on_probe, &extra);
                CHECK(extra.id > 0);
                parigot_on_result(extra.id, 0, NULL, 0);
                CHECK(extra.results == 1);
            }
        }
    }
    call_result_forced = -PG_FAILED_PRECONDITION;
    CHECK(pg_call("t.v1.S", "Get", NULL, 0, on_probe, NULL) == -PG_FAILED_PRECONDITION);
    call_result_forced = 0;
}

static void test_deadlines(void) {
    probe p = {0};
    /* The deadline wins: DEADLINE_EXCEEDED once, the late result is dropped. */
    int64_t timer_before = ids_next;
    p.id = pg_call_timeout("t.v1.S", "Get", "q", 1, 1000, on_probe, &p);
    CHECK(p.id > 0);
    int64_t timer = ids_next; /* the fake's timer id follows the call id */
    CHECK(timer > timer_before && timer != p.id);
    parigot_on_timer(timer);
    CHECK(p.results == 1 && p.status == PG_DEADLINE_EXCEEDED);
    parigot_on_result(p.id, PG_OK, block_of("late", 4), 4);
    CHECK(p.results == 1);
    /* The result wins: delivered, and the timer is cancelled and forgotten. */
    p = (probe){0};
    p.id = pg_call_timeout("t.v1.S", "Get", "q", 1, 1000, on_probe, &p);
    timer = ids_next;
    parigot_on_result(p.id, PG_NOT_FOUND, NULL, 0);
    CHECK(p.results == 1 && p.status == PG_NOT_FOUND && timer_cancel_last == timer);
    parigot_on_timer(timer);
    CHECK(p.results == 1);
    CHECK(pg_call_timeout("t.v1.S", "Get", "q", 1, -1, on_probe, &p) == -PG_INVALID_ARGUMENT);
    /* A deadline's timer id is not the user's to cancel. */
    p = (probe){0};
    p.id = pg_call_timeout("t.v1.S", "Get", "q", 1, 5, on_probe, &p);
    timer = ids_next;
    CHECK(pg_timer_cancel(timer) == PG_NOT_FOUND);
    parigot_on_timer(timer);
    CHECK(p.results == 1 && p.status == PG_DEADLINE_EXCEEDED);
}

static int timer_fired;
static void on_timer(void *ctx, int64_t timer) {
    CHECK(*(int64_t *)ctx == timer);
    timer_fired++;
}

static void test_timers(void) {
    static int64_t ids[PG_TIMERS_PENDING_MAX];
    for (int i = 0; i < PG_TIMERS_PENDING_MAX; i++) {
        ids[i] = pg_timer(10, on_timer, &ids[i]);
        CHECK(ids[i] > 0);
    }
    CHECK(pg_timer(10, on_timer, NULL) == -PG_RESOURCE_EXHAUSTED);
    CHECK(pg_call_timeout("t.v1.S", "Get", NULL, 0, 5, on_probe, NULL) ==
          -PG_RESOURCE_EXHAUSTED);
    for (int i = 0; i < PG_TIMERS_PENDING_MAX; i += 2) {
        CHECK(pg_timer_cancel(ids[i]) == PG_OK);
        parigot_on_timer(ids[i]); /* cancelled: must not fire */
    }
    for (int i = 1; i < PG_TIMERS_PENDING_MAX; i += 2) parigot_on_timer(ids[i]);
    CHECK(timer_fired == PG_TIMERS_PENDING_MAX / 2);
    CHECK(pg_timer(-1, on_timer, NULL) == -PG_INVALID_ARGUMENT);
}

static void test_log(void) {
    pg_log(PG_LOG_INFO, "n=%d s=%s", 5, "x");
    CHECK(log_last_len == 7 && memcmp(log_last, "n=5 s=x", 7) == 0);
    char big[3000];
    memset(big, 'a', sizeof big);
    big[sizeof big - 1] = '\0';
    big[PG_LOG_BYTES_MAX - 5] = (char)0xC3; /* a 2-byte UTF-8 sequence across the cut */
    big[PG_LOG_BYTES_MAX - 4] = (char)0xA9;
    pg_log(PG_LOG_INFO, "%s", big);
    CHECK(log_last_len <= PG_LOG_BYTES_MAX - 1);
    CHECK(memcmp(log_last + log_last_len - 3, "...", 3) == 0);
    CHECK((uint8_t)log_last[log_last_len - 4] != 0xC3); /* not cut inside the sequence */
}

static void test_pb_writer(void) {
    uint8_t buf[64];
    pb_writer w;
    pb_writer_init(&w, buf, sizeof buf);
    pb_put_int64(&w, 1, 150);
    pb_put_int64(&w, 2, 0); /* proto3 default: not written */
    pb_put_string(&w, 3, "hi");
    pb_put_string(&w, 4, "");
    CHECK(pb_writer_ok(&w) && w.len == 7);
    CHECK(memcmp(buf, "\x08\x96\x01\x1a\x02hi", 7) == 0);
    pb_writer_init(&w, buf, sizeof buf);
    pb_put_int64(&w, 1, -1);
    CHECK(w.len == 11 && buf[10] == 0x01); /* negative int64: ten-byte varint */
    pb_put_varint_field(&w, 2, 0);
    CHECK(w.len == 13);
    pb_writer_init(&w, buf, 4);
    pb_put_bytes(&w, 1, "abcd", 4); /* needs 6 bytes */
    CHECK(!pb_writer_ok(&w) && w.len <= 4);
    pb_put_int64(&w, 1, 1); /* later puts are no-ops */
    CHECK(!pb_writer_ok(&w) && w.len <= 4);
    pb_writer_init(&w, buf, sizeof buf);
    pb_put_int64(&w, 0, 1); /* field 0 cannot be encoded */
    CHECK(!pb_writer_ok(&w));
}

static int pb_walk(const uint8_t *in, size_t len, pb_field *last) {
    pb_reader r;
    pb_reader_init(&r, in, len);
    int n;
    size_t steps = 0;
    while ((n = pb_next_field(&r, last)) == 1) {
        CHECK(++steps <= len); /* every field consumes at least one byte */
        if (last->data != NULL) {
            CHECK(last->data >= in && last->data + last->data_len <= in + len);
        }
    }
    return n;
}

static void test_pb_reader(void) {
    pb_field f;
    static const struct {
        const char *bytes;
        size_t len;
        int result;
    } cases[] = {
        {"\x08\x96\x01\x1a\x02hi", 7, 0},
        {"\x08\x96", 2, -1},                                       /* truncated varint */
        {"\x1a\x05hi", 4, -1},                                     /* length past the end */
        {"\x00\x01", 2, -1},                                       /* field number 0 */
        {"\x0b\x0c", 2, -1},                                       /* group start */
        {"\x0f", 1, -1},                                           /* wire type 7 */
        {"\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12, -1}, /* 11-byte varint */
        {"\x09" "12345678", 9, 0},                                 /* fixed64 */
        {"\x09" "1234567", 8, -1},                                 /* truncated fixed64 */
        {"\x0d" "1234", 5, 0},                                     /* fixed32 */
        {"\x1a\xff\xff\xff\xff\x0f", 6, -1},                       /* 4 GiB length */
        {"\x1a\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11, -1},  /* 2^64-1 length */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t *in = malloc(cases[i].len); /* exact size: ASan sees any overread */
        memcpy(in, cases[i].bytes, cases[i].len);
        CHECK(pb_walk(in, cases[i].len, &f) == cases[i].result);
        free(in);
    }
    CHECK(pb_walk(NULL, 0, &f) == 0);
    for (int i = 0; i < 200000; i++) {
        size_t len = (size_t)(rng_next() % 40);
        uint8_t *in = malloc(len + 1);
        for (size_t k = 0; k < len; k++) {
            uint64_t x = rng_next();
            /* bias toward small tags and lengths so that walks go deep */
            in[k] = (uint8_t)(x % 4 == 0 ? x >> 8 : (x >> 8) % 24);
        }
        pb_walk(in, len, &f);
        free(in);
    }
    char out[4];
    pb_reader r;
    pb_reader_init(&r, "\x0a\x03" "abc", 5);
    CHECK(pb_next_field(&r, &f) == 1 && pb_field_cstring(&f, out, sizeof out) == 3);
    CHECK(strcmp(out, "abc") == 0 && pb_field_cstring(&f, out, 3) == -1 && out[0] == '\0');
    pb_reader_init(&r, "\x0a\x02" "a\0", 4);
    CHECK(pb_next_field(&r, &f) == 1 && pb_field_cstring(&f, out, sizeof out) == -1);
}

static int call_last_is(const char *method, const void *payload, int32_t len) {
    return strcmp(call_last_svc, PG_STORAGE) == 0 && strcmp(call_last_method, method) == 0 &&
           call_last_len == len && memcmp(call_last_payload, payload, (size_t)len) == 0;
}

static void test_storage(void) {
    probe p = {0};
    p.id = pg_storage_write("k1", "abc", 3, on_probe, &p);
    CHECK(p.id > 0 && call_last_is("Write", "\x0a\x02k1\x12\x03" "abc", 9));
    parigot_on_result(p.id, PG_OK, NULL, 0);
    CHECK(p.results == 1 && p.status == PG_OK);
    static char big[1000]; /* past the stack buffer: the request is malloc'ed */
    memset(big, 'v', sizeof big);
    CHECK(pg_storage_write("k1", big, sizeof big, NULL, NULL) > 0);
    CHECK(call_last_len == 4 + 3 + 1000);
    CHECK(memcmp(call_last_payload + 4, "\x12\xe8\x07", 3) == 0); /* tag, length 1000 */
    CHECK(pg_storage_write("k1", NULL, 0, NULL, NULL) > 0);
    CHECK(call_last_is("Write", "\x0a\x02k1", 4)); /* an empty value is left out */
    CHECK(pg_storage_read("k1", NULL, NULL) > 0 && call_last_is("Read", "\x0a\x02k1", 4));
    CHECK(pg_storage_delete("k1", NULL, NULL) > 0 && call_last_is("Delete", "\x0a\x02k1", 4));
    CHECK(pg_storage_sync(NULL, NULL) > 0 && call_last_is("Sync", "", 0));
    call_result_forced = -PG_FAILED_PRECONDITION; /* not required */
    CHECK(pg_storage_sync(on_probe, &p) == -PG_FAILED_PRECONDITION);
    call_result_forced = 0;

    int found;
    const uint8_t *value;
    size_t value_len;
    static const uint8_t hit[] = "\x08\x01\x12\x03" "abc";
    CHECK(pg_storage_decode_read(hit, 7, &found, &value, &value_len) == 0);
    CHECK(found == 1 && value == hit + 4 && value_len == 3);
    CHECK(pg_storage_decode_read(NULL, 0, &found, &value, &value_len) == 0);
    CHECK(found == 0 && value == NULL && value_len == 0);
    CHECK(pg_storage_decode_read((const uint8_t *)"\x08\x01\x12\x05" "abc", 7, &found, &value,
                                 &value_len) == -1); /* value past the end */
    CHECK(found == 0 && value == NULL && value_len == 0);
    CHECK(pg_storage_decode_read((const uint8_t *)"\x08\x02\x1a\x01x", 5, &found, &value,
                                 &value_len) == 0); /* any non-zero bool; unknown field 3 */
    CHECK(found == 1 && value == NULL);
}

int main(void) {
    test_dispatch();
    test_call_table();
    test_deadlines();
    test_timers();
    test_log();
    test_storage();
    test_pb_writer();
    test_pb_reader();
    if (failures != 0) {
        fprintf(stderr, "sdk_test: %d checks failed\n", failures);
        return 1;
    }
    printf("sdk_test: all checks passed\n");
    return 0;
}
