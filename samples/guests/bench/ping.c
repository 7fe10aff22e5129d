/*
 * bench.v1.Pinger: Run{rounds} makes `rounds` sequential Pong.Ping calls, each sent from
 * the previous one's result callback, then answers RunReply{completed}. The kernel's
 * step-rate benchmark: the hot path encodes into a stack buffer and logs nothing.
 *
 * Limits: PINGER_RUNS_MAX runs in flight (one more is answered RESOURCE_EXHAUSTED). A
 * failed Ping ends its run with that status; a reply with the wrong seq with DATA_LOSS.
 */
#include <parigot.h>
#include <parigot_pb.h>

#define PINGER "bench.v1.Pinger"
#define PONG "bench.v1.Pong"
#define PINGER_RUNS_MAX 16
#define PING_BODY_BYTES 16
#define PING_REQUEST_BYTES_MAX 32 /* seq (1 + 10) + body (1 + 1 + 16) */

static const uint8_t ping_body[PING_BODY_BYTES] = "parigot-bench-16";

typedef struct {
    int used;
    pg_call_id caller;
    int64_t rounds;
    int64_t completed;
} run;

static run runs[PINGER_RUNS_MAX];

static void run_end(run *r, int status) {
    if (status == PG_OK) {
        uint8_t buf[16];
        pb_writer w;
        pb_writer_init(&w, buf, sizeof buf);
        pb_put_int64(&w, 1, r->completed);
        pg_reply(r->caller, PG_OK, buf, w.len);
    } else {
        pg_reply(r->caller, status, NULL, 0);
    }
    r->used = 0;
}

static void ponged(void *ctx, int status, const uint8_t *payload, size_t len);

/* Sends Ping number r->completed + 1, or answers the Run when all rounds are done. */
static void ping_next(run *r) {
    if (r->completed >= r->rounds) {
        run_end(r, PG_OK);
        return;
    }
    uint8_t buf[PING_REQUEST_BYTES_MAX];
    pb_writer w;
    pb_writer_init(&w, buf, sizeof buf);
    pb_put_int64(&w, 1, r->completed + 1);
    pb_put_bytes(&w, 2, ping_body, sizeof ping_body);
    int64_t id = pg_call(PONG, "Ping", buf, w.len, ponged, r);
    if (id <= 0) run_end(r, id < 0 && id >= -PG_UNAUTHENTICATED ? (int)-id : PG_INTERNAL);
}

static void ponged(void *ctx, int status, const uint8_t *payload, size_t len) {
    run *r = ctx;
    if (status != PG_OK) {
        run_end(r, status);
        return;
    }
    pb_reader rd;
    pb_field f;
    int64_t seq = 0;
    int more;
    pb_reader_init(&rd, payload, len);
    while ((more = pb_next_field(&rd, &f)) == 1) {
        if (f.number == 1) seq = pb_field_int64(&f);
    }
    if (more < 0 || seq != r->completed + 1) {
        run_end(r, PG_DATA_LOSS);
        return;
    }
    r->completed++;
    ping_next(r);
}

static void run_rounds(pg_call_id call, const uint8_t *req, size_t len) {
    run *r = NULL;
    for (size_t i = 0; i < PINGER_RUNS_MAX && r == NULL; i++) {
        if (!runs[i].used) r = &runs[i];
    }
    if (r == NULL) {
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return;
    }
    *r = (run){.used = 1, .caller = call};
    pb_reader rd;
    pb_field f;
    int more;
    pb_reader_init(&rd, req, len);
    while ((more = pb_next_field(&rd, &f)) == 1) {
        if (f.number == 1) r->rounds = pb_field_int64(&f);
    }
    if (more < 0) {
        run_end(r, PG_INVALID_ARGUMENT);
        return;
    }
    pg_log(PG_LOG_DEBUG, "Run %lld rounds", (long long)r->rounds);
    ping_next(r);
}

int service_start(void) {
    int status = pg_export(PINGER);
    if (status != PG_OK) return status;
    status = pg_require(PONG);
    if (status != PG_OK) return status;
    pg_handle(PINGER, "Run", run_rounds);
    return PG_OK;
}
