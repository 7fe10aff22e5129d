/*
 * What checkout.c and checkout_fixed.c share: payments.v1.Checkout/Pay{order, amount} calls
 * Gateway.Charge with a deadline of CHECKOUT_CHARGE_TIMEOUT_NS of virtual time, on nanopb
 * messages and the generated stubs of payments.proto. On DEADLINE_EXCEEDED or UNAVAILABLE it
 * tries again, CHECKOUT_ATTEMPTS_MAX attempts in all; then it answers PayReply{charge_id,
 * attempts}, or the last status (any other status from the Gateway is passed through at
 * once). A deadline does not mean the Charge was lost: it may still be on its way, or done
 * with its reply on the way back, so a retry must be idempotent. Each file adds
 * charge_request(), the ChargeRequest of an attempt: that is where the two differ.
 *
 * Limits: CHECKOUT_OPS_MAX Pays in flight (one more is answered RESOURCE_EXHAUSTED); orders
 * of 1..64 bytes (payments.options; else INVALID_ARGUMENT).
 */
#ifndef CHECKOUT_COMMON_H
#define CHECKOUT_COMMON_H

#include "payments.parigot.h"
#include <string.h>

#define CHECKOUT_OPS_MAX 256
#define CHECKOUT_ATTEMPTS_MAX 5
#define CHECKOUT_CHARGE_TIMEOUT_NS (20 * 1000 * 1000)

/* A Pay in flight: the caller to answer, the order, and the attempts made so far. */
typedef struct {
    int used;
    pg_call_id caller;
    char order[sizeof ((payments_v1_PayRequest *)0)->order];
    int64_t amount;
    int64_t attempts;
} pay_op;

static pay_op pay_ops[CHECKOUT_OPS_MAX];

/* Fills the ChargeRequest{order, amount, idempotency_key} of one attempt (zeroed before).
 * Each variant defines it. */
static void charge_request(const pay_op *op, payments_v1_ChargeRequest *req);

static void op_fail(pay_op *op, int status) {
    pg_reply(op->caller, status, NULL, 0);
    op->used = 0;
}

static void op_succeed(pay_op *op, int64_t charge_id) {
    payments_v1_PayReply reply = {.charge_id = charge_id, .attempts = op->attempts};
    payments_v1_Checkout_Pay_reply(op->caller, &reply);
    op->used = 0;
}

static void charged(void *ctx, int status, const payments_v1_ChargeReply *reply);

/* Sends one more Charge for op; on a refusal answers the caller. */
static void attempt(pay_op *op) {
    payments_v1_ChargeRequest req = payments_v1_ChargeRequest_init_zero;
    charge_request(op, &req);
    op->attempts++;
    int64_t id = payments_v1_Gateway_Charge_call_timeout(&req, CHECKOUT_CHARGE_TIMEOUT_NS,
                                                         charged, op);
    if (id <= 0) op_fail(op, id < 0 && id >= -PG_UNAUTHENTICATED ? (int)-id : PG_INTERNAL);
}

static void charged(void *ctx, int status, const payments_v1_ChargeReply *reply) {
    pay_op *op = ctx;
    if (status == PG_OK) {
        pg_log(PG_LOG_DEBUG, "pay %s: charge %lld after %lld attempts", op->order,
               (long long)reply->charge_id, (long long)op->attempts);
        op_succeed(op, reply->charge_id);
        return;
    }
    int retry = (status == PG_DEADLINE_EXCEEDED || status == PG_UNAVAILABLE) &&
                op->attempts < CHECKOUT_ATTEMPTS_MAX;
    pg_log(PG_LOG_DEBUG, "pay %s: attempt %lld failed with status %d%s", op->order,
           (long long)op->attempts, status, retry ? ", retrying" : ", giving up");
    if (retry) {
        attempt(op);
    } else {
        op_fail(op, status);
    }
}

static void pay(pg_call_id call, const payments_v1_PayRequest *req) {
    pay_op *op = NULL;
    for (size_t i = 0; i < CHECKOUT_OPS_MAX && op == NULL; i++) {
        if (!pay_ops[i].used) op = &pay_ops[i];
    }
    if (op == NULL) {
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return;
    }
    *op = (pay_op){.used = 1, .caller = call, .amount = req->amount};
    if (req->order[0] == '\0') {
        op_fail(op, PG_INVALID_ARGUMENT);
        return;
    }
    strcpy(op->order, req->order); /* the request is gone after this handler; same max_size */
    attempt(op); /* the Gateway judges the amount */
}

static int checkout_start(void) {
    static const payments_v1_Checkout_handlers handlers = {.Pay = pay};
    int status = payments_v1_Checkout_register(&handlers);
    if (status != PG_OK) return status;
    return payments_v1_Gateway_require();
}

#endif /* CHECKOUT_COMMON_H */
