/*
 * lease.v1.Worker, fixed: a granted Acquire lets it lead until sent + lease_ns -
 * WORKER_SAFETY_MARGIN_NS by its OWN clock, counted from when the request was SENT (the
 * server started the lease later than that, so the lease cannot end sooner). A timer at
 * that deadline makes it step down unless a later renewal extended it, so a worker cut off
 * from the server stops leading before the server can grant the lease to anyone else. The
 * margin covers clock drift of up to a few percent over one lease.
 */
#include "worker_common.h"

#define LEASE_NS_DEFAULT (100 * 1000 * 1000) /* the server's term, if its reply omits it */
#define WORKER_SAFETY_MARGIN_NS (20 * 1000 * 1000)

static int64_t lead_until_ns;       /* local time this worker's lease ends for it; 0: none */
static int64_t lead_deadline_timer; /* the timer set at lead_until_ns, or 0 */

static void step_down(void) {
    if (lead_deadline_timer > 0) pg_timer_cancel(lead_deadline_timer);
    lead_deadline_timer = 0;
    lead_until_ns = 0;
    lead_off();
}

static void lease_ran_out(void *ctx, int64_t timer) {
    (void)ctx, (void)timer;
    lead_deadline_timer = 0;
    int64_t now = pg_now_ns();
    if (now < lead_until_ns) { /* early by the local clock: wait for the rest */
        lead_deadline_timer = pg_timer(lead_until_ns - now, lease_ran_out, NULL);
        if (lead_deadline_timer > 0) return;
    }
    pg_log(PG_LOG_DEBUG, "worker %s: lease ran out by the local clock", node);
    step_down();
}

static void granted(const lease_v1_AcquireReply *reply, int64_t sent_ns) {
    int64_t lease_ns = reply->lease_ns;
    if (lease_ns <= 0) lease_ns = LEASE_NS_DEFAULT;
    int64_t until = sent_ns + lease_ns - WORKER_SAFETY_MARGIN_NS;
    int64_t now = pg_now_ns();
    if (until <= now) return; /* this grant is already spent; an earlier one may still hold */
    if (until > lead_until_ns) {
        if (lead_deadline_timer > 0) pg_timer_cancel(lead_deadline_timer);
        lead_deadline_timer = pg_timer(until - now, lease_ran_out, NULL);
        if (lead_deadline_timer <= 0) { /* no timer, no bound on leading: do not lead */
            step_down();
            return;
        }
        lead_until_ns = until;
    }
    lead_on();
}

static void acquired(int status, const lease_v1_AcquireReply *reply, int64_t sent_ns) {
    if (status == PG_OK) {
        granted(reply, sent_ns);
    } else if (status == PG_DEADLINE_EXCEEDED || status == PG_UNAVAILABLE) {
        /* Unknown whether it was renewed: lead on, but only until lead_until_ns. */
        log_not_granted(status, reply);
    } else {
        log_not_granted(status, reply);
        step_down();
    }
}
