/*
 * lease.v1.Worker with the planted bug: it leads from the first granted Acquire until the
 * server says someone else holds the lease (FAILED_PRECONDITION). When its renewals time
 * out or fail UNAVAILABLE, it assumes nothing changed and keeps leading; cut off from the
 * server (a partition) it leads on while the lease expires and the server grants it to
 * another worker, so two workers say "LEADER on" at once. worker_fixed.c is the repair.
 */
#include "worker_common.h"

static void acquired(int status, const lease_v1_AcquireReply *reply, int64_t sent_ns) {
    (void)sent_ns;
    if (status == PG_OK) {
        lead_on();
    } else if (status == PG_DEADLINE_EXCEEDED || status == PG_UNAVAILABLE) {
        /* THE BUG: no answer is taken to mean "nothing changed", so it keeps leading, while
         * the lease may run out and go to another worker. */
        log_not_granted(status, reply);
    } else {
        log_not_granted(status, reply);
        lead_off();
    }
}
