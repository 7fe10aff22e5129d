/*
 * payments.v1.Checkout, fixed: every attempt carries idempotency_key = the order id, so the
 * Gateway charges an order once however many of its attempts arrive (and answers the
 * others with the first charge's id).
 */
#include "checkout_common.h"

static void charge_request(const pay_op *op, payments_v1_ChargeRequest *req) {
    strcpy(req->order, op->order);
    req->amount = op->amount;
    strcpy(req->idempotency_key, op->order); /* the same key on every attempt */
}

int service_start(void) { return checkout_start(); }
