/*
 * payments.v1.Checkout with the planted bug: a Charge that timed out (or failed
 * UNAVAILABLE) is sent again WITHOUT an idempotency key. When the first request was only
 * slow, or the network delivered it twice, the Gateway charges the order twice.
 * checkout_fixed.c is the repair.
 */
#include "checkout_common.h"

static void charge_request(const pay_op *op, payments_v1_ChargeRequest *req) {
    strcpy(req->order, op->order);
    req->amount = op->amount;
    /* THE BUG: no idempotency_key, so the Gateway cannot tell a retry from a new charge. */
}

int service_start(void) { return checkout_start(); }
