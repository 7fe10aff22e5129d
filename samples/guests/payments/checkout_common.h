/*
 * What checkout.c and checkout_fixed.c share: payments.v1.Checkout/Pay{order, amount} calls
 * Gateway.Charge with a deadline of CHECKOUT_CHARGE_TIMEOUT_NS of virtual time. On
 * DEADLINE_EXCEEDED or UNAVAILABLE it tries again, CHECKOUT_ATTEMPTS_MAX attempts in all;
 * then it answers PayReply{charge_id, attempts}, or the last status (any other status from
 * the Gateway is passed through at once). A deadline does not mean the Charge was lost: it
 * may still be on its way, or done with its reply on the way back, so a retry must be
 * idempotent. Each file adds charge_request(), the ChargeRequest of an attempt: that is
 * where the two differ.
 *
 * Limits: CHECKOUT_OPS_MAX Pays in flight (one more is answered RESOURCE_EXHAUSTED); orders
 * of 1..CHECKOUT_ORDER_BYTES_MAX bytes (else INVALID_ARGUMENT).
 */
#ifndef CHECKOUT_COMMON_H
#define CHECKOUT_COMMON_H

#include <parigot.h>
#include <parigot_pb.h>
#include <string.h>

#define CHECKOUT "payments.v1.Checkout"
#define GATEWAY "payments.v1.Gateway"
#define CHECKOUT_OPS_MAX 256
#define CHECKOUT_ORDER_BYTES_MAX 64
#define CHECKOUT_ATTEMPTS_MAX 5
#define CHECKOUT_CHARGE_TIMEOUT_NS (20 * 1000 * 1000)
/* order and key (2 x (tag + length + 64 bytes)) + amount (tag + 10-byte varint) */
#define CHECKOUT_CHARGE_BYTES_MAX (2 * (CHECKOUT_ORDER_BYTES_MAX + 2) + 11)
#define CHECKOUT_REPLY_BYTES_MAX 24 /* two int64 fields */

/* A Pay in flight: the caller to answer, the order, and the attempts made so far. */
typedef struct {
    int used;
    pg_call_id caller;
    uint8_t order[CHECKOUT_ORDER_BYTES_MAX];
    size_t order_len;
    int64_t amount;
    int64_t attempts;
} pay_op;

static pay_op pay_ops[CHECKOUT_OPS_MAX];

/* Writes the ChargeRequest{1: order, 2: amount, 3: idempotency_key} of one attempt. Each
 * variant defines it. */
static void charge_request(const pay_op *op, pb_writer *w);

static void op_fail(pay_op *op, int status) {
    pg_reply(op->caller, status, NULL, 0);
    op->used = 0;
}

static void op_succeed(pay_op *op, int64_t charge_id) {
    uint8_t buf[CHECKOUT_REPLY_BYTES_MAX];
    pb_writer w;
    pb_writer_init(&w, buf, sizeof buf);
    pb_put_int64(&w, 1, charge_id);
    pb_put_int64(&w, 2, op->attempts);
    pg_reply(op->caller, PG_OK, buf, w.len);
    op->used = 0;
}

static void charged(void *ctx, int status, const uint8_t *payload, size_t len);

/* Sends one more Charge for op; on a refusal answers the caller. */
static void attempt(pay_op *op) {
    uint8_t buf[CHECKOUT_CHARGE_BYTES_MAX];
    pb_writer w;
    pb_writer_init(&w, buf, sizeof buf);
    charge_request(op, &w);
    if (!pb_writer_ok(&w)) {
        op_fail(op, PG_INTERNAL); /* cannot happen: the buffer fits the largest request */
        return;
    }
    op->attempts++;
    int64_t id = pg_call_timeout(GATEWAY, "Charge", buf, w.len, CHECKOUT_CHARGE_TIMEOUT_NS,
                                 charged, op);
    if (id <= 0) op_fail(op, id < 0 && id >= -PG_UNAUTHENTICATED ? (int)-id : PG_INTERNAL);
}

static void charged(void *ctx, int status, const uint8_t *payload, size_t len) {
    pay_op *op = ctx;
    if (status == PG_OK) {
        pb_reader r;
        pb_field f;
        int more;
        int64_t charge_id = 0;
        pb_reader_init(&r, payload, len);
        while ((more = pb_next_field(&r, &f)) == 1) {
            if (f.number == 1 && f.wire == PB_WIRE_VARINT) charge_id = pb_field_int64(&f);
        }
        if (more < 0) {
            op_fail(op, PG_INTERNAL);
            return;
        }
        pg_log(PG_LOG_DEBUG, "pay %.*s: charge %lld after %lld attempts", (int)op->order_len,
               (const char *)op->order, (long long)charge_id, (long long)op->attempts);
        op_succeed(op, charge_id);
        return;
    }
    int retry = (status == PG_DEADLINE_EXCEEDED || status == PG_UNAVAILABLE) &&
                op->attempts < CHECKOUT_ATTEMPTS_MAX;
    pg_log(PG_LOG_DEBUG, "pay %.*s: attempt %lld failed with status %d%s", (int)op->order_len,
           (const char *)op->order, (long long)op->attempts, status,
           retry ? ", retrying" : ", giving up");
    if (retry) {
        attempt(op);
    } else {
        op_fail(op, status);
    }
}

static void pay(pg_call_id call, const uint8_t *req, size_t len) {
    pay_op *op = NULL;
    for (size_t i = 0; i < CHECKOUT_OPS_MAX && op == NULL; i++) {
        if (!pay_ops[i].used) op = &pay_ops[i];
    }
    if (op == NULL) {
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return;
    }
    *op = (pay_op){.used = 1, .caller = call};
    pb_reader r;
    pb_field f;
    int more;
    int status = PG_OK;
    pb_reader_init(&r, req, len);
    while ((more = pb_next_field(&r, &f)) == 1) {
        if (f.number == 1 && f.wire == PB_WIRE_LEN) {
            if (f.data_len > CHECKOUT_ORDER_BYTES_MAX) {
                status = PG_INVALID_ARGUMENT;
                continue;
            }
            memcpy(op->order, f.data, f.data_len); /* req is freed after this handler */
            op->order_len = f.data_len;
        } else if (f.number == 2 && f.wire == PB_WIRE_VARINT) {
            op->amount = pb_field_int64(&f);
        }
    }
    if (more < 0 || op->order_len == 0) status = PG_INVALID_ARGUMENT;
    if (status != PG_OK) {
        op_fail(op, status);
        return;
    }
    attempt(op); /* the Gateway judges the amount */
}

static int checkout_start(void) {
    int status = pg_export(CHECKOUT);
    if (status != PG_OK) return status;
    status = pg_require(GATEWAY);
    if (status != PG_OK) return status;
    return pg_handle(CHECKOUT, "Pay", pay);
}

#endif /* CHECKOUT_COMMON_H */
