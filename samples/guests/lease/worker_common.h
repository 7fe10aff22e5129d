/*
 * What worker.c and worker_fixed.c share: lease.v1.Worker, one of several replicas that
 * compete for the lease of lease.v1.LeaseServer. From service_ready on, every
 * WORKER_TICK_NS it sends Acquire{holder = its node name (PARIGOT_NODE)} with a deadline
 * of WORKER_ACQUIRE_TIMEOUT_NS, and hands the result to acquired(), which each file
 * defines: that is where the two differ. Status answers StatusReply{leading, node}.
 *
 * What a worker believes goes to the unified log at INFO, exactly "LEADER on" when it
 * starts leading and "LEADER off" when it stops (for any reason), never twice in a row:
 * lead_on() and lead_off() are the only places that change `leading`.
 *
 * Limits: node names up to WORKER_NODE_BYTES_MAX bytes (else service_ready fails boot).
 * The deadline is shorter than the period, so at most one Acquire is in flight.
 */
#ifndef WORKER_COMMON_H
#define WORKER_COMMON_H

#include <parigot.h>
#include <parigot_pb.h>
#include <stdlib.h>
#include <string.h>

#define WORKER "lease.v1.Worker"
#define LEASE_SERVER "lease.v1.LeaseServer"
#define WORKER_TICK_NS (30 * 1000 * 1000)
#define WORKER_ACQUIRE_TIMEOUT_NS (20 * 1000 * 1000)
#define WORKER_NODE_BYTES_MAX 64
#define WORKER_MESSAGE_BYTES_MAX (WORKER_NODE_BYTES_MAX + 16) /* a name + a bool or int64 */

_Static_assert(WORKER_ACQUIRE_TIMEOUT_NS < WORKER_TICK_NS, "one Acquire in flight at most");

static char node[WORKER_NODE_BYTES_MAX + 1];
static int leading;
static int acquire_in_flight;
static int64_t acquire_sent_ns; /* local time the Acquire in flight was sent */

/* The result of one Acquire, sent at sent_ns by the local clock. Each variant defines it. */
static void acquired(int status, const uint8_t *payload, size_t len, int64_t sent_ns);

static void lead_on(void) {
    if (leading) return;
    leading = 1;
    pg_log(PG_LOG_INFO, "LEADER on");
}

static void lead_off(void) {
    if (!leading) return;
    leading = 0;
    pg_log(PG_LOG_INFO, "LEADER off");
}

/* Reads AcquireReply{1: holder, 3: lease_ns}; lease_ns is 0 if absent. -1 if malformed. */
static int lease_reply_parse(const uint8_t *payload, size_t len, char *holder, size_t cap,
                             int64_t *lease_ns) {
    pb_reader r;
    pb_field f;
    int more;
    holder[0] = '\0';
    *lease_ns = 0;
    pb_reader_init(&r, payload, len);
    while ((more = pb_next_field(&r, &f)) == 1) {
        if (f.number == 1 && pb_field_cstring(&f, holder, cap) < 0) return -1;
        if (f.number == 3) *lease_ns = pb_field_int64(&f);
    }
    return more;
}

/* Logs (at DEBUG) an Acquire that did not grant the lease, with the holder if it is known;
 * not the routine refusals a follower gets every tick. */
static void log_not_granted(int status, const uint8_t *payload, size_t len) {
    if (status == PG_FAILED_PRECONDITION && !leading) return;
    char holder[WORKER_NODE_BYTES_MAX + 1];
    int64_t lease_ns;
    if (status != PG_FAILED_PRECONDITION ||
        lease_reply_parse(payload, len, holder, sizeof holder, &lease_ns) < 0) {
        holder[0] = '\0';
    }
    pg_log(PG_LOG_DEBUG, "worker %s: Acquire not granted, status %d%s%s; was leading: %d",
           node, status, holder[0] != '\0' ? ", held by " : "", holder, leading);
}

static void acquire_done(void *ctx, int status, const uint8_t *payload, size_t len) {
    (void)ctx;
    acquire_in_flight = 0;
    acquired(status, payload, len, acquire_sent_ns);
}

static void tick(void *ctx, int64_t timer) {
    (void)ctx, (void)timer;
    if (pg_timer(WORKER_TICK_NS, tick, NULL) < 0) {
        pg_log(PG_LOG_ERROR, "worker %s: cannot set its tick timer", node);
    }
    if (acquire_in_flight) return; /* cannot happen: the deadline is shorter than a tick */
    uint8_t buf[WORKER_MESSAGE_BYTES_MAX];
    pb_writer w;
    pb_writer_init(&w, buf, sizeof buf);
    pb_put_string(&w, 1, node);
    acquire_sent_ns = pg_now_ns();
    int64_t id = pg_call_timeout(LEASE_SERVER, "Acquire", buf, w.len,
                                 WORKER_ACQUIRE_TIMEOUT_NS, acquire_done, NULL);
    if (id > 0) {
        acquire_in_flight = 1;
    } else {
        acquired(id < 0 && id >= -PG_UNAUTHENTICATED ? (int)-id : PG_INTERNAL, NULL, 0,
                 acquire_sent_ns);
    }
}

static void report_status(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len; /* StatusRequest has no fields */
    uint8_t buf[WORKER_MESSAGE_BYTES_MAX];
    pb_writer w;
    pb_writer_init(&w, buf, sizeof buf);
    pb_put_int64(&w, 1, leading); /* bool: the varint 1 */
    pb_put_string(&w, 2, node);
    pg_reply(call, PG_OK, buf, w.len);
}

int service_start(void) {
    int s = pg_export(WORKER);
    if (s != PG_OK) return s;
    s = pg_require(LEASE_SERVER);
    if (s != PG_OK) return s;
    return pg_handle(WORKER, "Status", report_status);
}

/* The node name is read here, not in service_start: declarations must not depend on it. */
int service_ready(void) {
    const char *name = getenv("PARIGOT_NODE");
    if (name == NULL) name = "worker"; /* outside the simulation */
    if (strlen(name) > WORKER_NODE_BYTES_MAX) {
        pg_log(PG_LOG_ERROR, "worker: node name longer than %d bytes", WORKER_NODE_BYTES_MAX);
        return 1;
    }
    strcpy(node, name);
    return pg_timer(WORKER_TICK_NS, tick, NULL) > 0 ? 0 : 1;
}

#endif /* WORKER_COMMON_H */
