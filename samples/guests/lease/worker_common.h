/*
 * What worker.c and worker_fixed.c share: lease.v1.Worker, one of several replicas that
 * compete for the lease of lease.v1.LeaseServer, on nanopb messages and the generated stubs
 * of lease.proto. From service_ready on, every
 * WORKER_TICK_NS it sends Acquire{holder = its node name (PARIGOT_NODE)} with a deadline
 * of WORKER_ACQUIRE_TIMEOUT_NS, and hands the result to acquired(), which each file
 * defines: that is where the two differ. Status answers StatusReply{leading, node}.
 *
 * What a worker believes goes to the unified log at INFO, exactly "LEADER on" when it
 * starts leading and "LEADER off" when it stops (for any reason), never twice in a row:
 * lead_on() and lead_off() are the only places that change `leading`.
 *
 * Limits: node names up to 64 bytes (lease.options; else service_ready fails boot).
 * The deadline is shorter than the period, so at most one Acquire is in flight.
 */
#ifndef WORKER_COMMON_H
#define WORKER_COMMON_H

#include "lease.parigot.h"
#include <stdlib.h>
#include <string.h>

#define WORKER_TICK_NS (30 * 1000 * 1000)
#define WORKER_ACQUIRE_TIMEOUT_NS (20 * 1000 * 1000)

_Static_assert(WORKER_ACQUIRE_TIMEOUT_NS < WORKER_TICK_NS, "one Acquire in flight at most");

static char node[sizeof ((lease_v1_StatusReply *)0)->node];
static int leading;
static int acquire_in_flight;
static int64_t acquire_sent_ns; /* local time the Acquire in flight was sent */

/* The result of one Acquire, sent at sent_ns by the local clock: the server's reply, if it
 * sent one (with PG_OK, or with PG_FAILED_PRECONDITION about the holder), else NULL. Each
 * variant defines it. */
static void acquired(int status, const lease_v1_AcquireReply *reply, int64_t sent_ns);

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

/* Logs (at DEBUG) an Acquire that did not grant the lease, with the holder if it is known;
 * not the routine refusals a follower gets every tick. */
static void log_not_granted(int status, const lease_v1_AcquireReply *reply) {
    if (status == PG_FAILED_PRECONDITION && !leading) return;
    const char *holder = status == PG_FAILED_PRECONDITION && reply != NULL ? reply->holder : "";
    pg_log(PG_LOG_DEBUG, "worker %s: Acquire not granted, status %d%s%s; was leading: %d",
           node, status, holder[0] != '\0' ? ", held by " : "", holder, leading);
}

static void acquire_done(void *ctx, int status, const lease_v1_AcquireReply *reply) {
    (void)ctx;
    acquire_in_flight = 0;
    acquired(status, reply, acquire_sent_ns);
}

static void tick(void *ctx, int64_t timer) {
    (void)ctx, (void)timer;
    if (pg_timer(WORKER_TICK_NS, tick, NULL) < 0) {
        pg_log(PG_LOG_ERROR, "worker %s: cannot set its tick timer", node);
    }
    if (acquire_in_flight) return; /* cannot happen: the deadline is shorter than a tick */
    lease_v1_AcquireRequest req = lease_v1_AcquireRequest_init_zero;
    strcpy(req.holder, node); /* the same max_size bounds both */
    acquire_sent_ns = pg_now_ns();
    int64_t id = lease_v1_LeaseServer_Acquire_call_timeout(&req, WORKER_ACQUIRE_TIMEOUT_NS,
                                                           acquire_done, NULL);
    if (id > 0) {
        acquire_in_flight = 1;
    } else {
        acquired(id < 0 && id >= -PG_UNAUTHENTICATED ? (int)-id : PG_INTERNAL, NULL,
                 acquire_sent_ns);
    }
}

static void report_status(pg_call_id call, const lease_v1_StatusRequest *req) {
    (void)req; /* StatusRequest has no fields */
    lease_v1_StatusReply reply = {.leading = leading};
    strcpy(reply.node, node);
    lease_v1_Worker_Status_reply(call, &reply);
}

int service_start(void) {
    static const lease_v1_Worker_handlers handlers = {.Status = report_status};
    int s = lease_v1_Worker_register(&handlers);
    if (s != PG_OK) return s;
    return lease_v1_LeaseServer_require();
}

/* The node name is read here, not in service_start: declarations must not depend on it. */
int service_ready(void) {
    const char *name = getenv("PARIGOT_NODE");
    if (name == NULL) name = "worker"; /* outside the simulation */
    if (strlen(name) >= sizeof node) {
        pg_log(PG_LOG_ERROR, "worker: node name longer than %d bytes", (int)sizeof node - 1);
        return 1;
    }
    strcpy(node, name);
    return pg_timer(WORKER_TICK_NS, tick, NULL) > 0 ? 0 : 1;
}

#endif /* WORKER_COMMON_H */
