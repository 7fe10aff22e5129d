/*
 * payments.v1.Checkout, fixed: every attempt carries idempotency_key = the order id, so the
 * Gateway charges an order once however many of its attempts arrive (and answers the
 * others with the first charge's id).
 */
#include "checkout_common.h"

static void charge_request(const pay_op *op, pb_writer *w) {
    pb_put_bytes(w, 1, op->order, op->order_len);
    pb_put_int64(w, 2, op->amount);
    pb_put_bytes(w, 3, op->order, op->order_len); /* the same key on every attempt */
}

int service_start(void) { return checkout_start(); }
