/*
 * lease.v1.LeaseServer: one lease of LEASE_NS by this server's own clock (pg_now_ns()), on
 * nanopb messages and the generated stubs of lease.proto. Acquire{holder} grants the lease,
 * or renews it, when it is free, expired or already held by `holder`, and answers
 * AcquireReply{holder, expires_ns, lease_ns}; otherwise it answers FAILED_PRECONDITION with
 * the same message about the current holder. expires_ns is on the server's clock, which a
 * worker does not share: a worker should count its lease from when it sent the request, by
 * its own clock. No bug is planted here, but the lease lives in memory only: a server that
 * crashed and restarted would grant it again at once.
 *
 * Limits: holders of 1..64 bytes (lease.options; else INVALID_ARGUMENT).
 */
#include "lease.parigot.h"
#include <string.h>

#define LEASE_NS (100 * 1000 * 1000)

static char holder[sizeof ((lease_v1_AcquireRequest *)0)->holder]; /* "": never held */
static int64_t expires_ns;

static void reply_lease(pg_call_id call, int status) {
    lease_v1_AcquireReply reply = {.expires_ns = expires_ns, .lease_ns = LEASE_NS};
    strcpy(reply.holder, holder); /* the same max_size bounds both */
    lease_v1_LeaseServer_Acquire_reply_status(call, status, &reply);
}

static void acquire(pg_call_id call, const lease_v1_AcquireRequest *req) {
    const char *who = req->holder;
    if (who[0] == '\0') {
        pg_log(PG_LOG_WARN, "lease: malformed Acquire request");
        pg_reply(call, PG_INVALID_ARGUMENT, NULL, 0);
        return;
    }
    int64_t now = pg_now_ns();
    int same = strcmp(holder, who) == 0;
    if (holder[0] != '\0' && !same && now < expires_ns) {
        pg_log(PG_LOG_DEBUG, "acquire %s -> refused, held by %s until %lld", who, holder,
               (long long)expires_ns);
        reply_lease(call, PG_FAILED_PRECONDITION);
        return;
    }
    pg_log(PG_LOG_DEBUG, "acquire %s -> granted until %lld (%s)", who, (long long)(now + LEASE_NS),
           holder[0] == '\0' ? "was free" : same ? "renewed" : "previous lease expired");
    strcpy(holder, who);
    expires_ns = now + LEASE_NS;
    reply_lease(call, PG_OK);
}

int service_start(void) {
    static const lease_v1_LeaseServer_handlers handlers = {.Acquire = acquire};
    return lease_v1_LeaseServer_register(&handlers);
}
