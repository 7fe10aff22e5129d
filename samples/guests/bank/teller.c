/*
 * bank.v1.Teller with the planted bug: Deposit reads the balance (Ledger.Get) and writes
 * back balance + amount (Ledger.Put) in a later event. Two deposits to one account whose
 * Gets both land before either Put lose one deposit. teller_fixed.c is the repair.
 */
#include "teller_common.h"

static void deposit_put(void *ctx, int status, const uint8_t *payload, size_t len) {
    teller_op *op = ctx;
    (void)payload, (void)len;
    if (status != PG_OK) {
        op_fail(op, status);
        return;
    }
    op_reply_balance(op, op->balance);
}

static void deposit_got(void *ctx, int status, const uint8_t *payload, size_t len) {
    teller_op *op = ctx;
    int64_t balance;
    if (!ledger_balance(op, status, payload, len, &balance)) return;
    if (__builtin_add_overflow(balance, op->amount, &op->balance)) {
        op_fail(op, PG_OUT_OF_RANGE);
        return;
    }
    /* THE BUG: `balance` may be stale by the time this Put lands; another Deposit's Put
     * can come in between and be overwritten. */
    ledger_call(op, "Put", op->balance, deposit_put);
}

static void deposit(pg_call_id call, const uint8_t *req, size_t len) {
    teller_op *op = op_begin(call, req, len);
    if (op != NULL) ledger_call(op, "Get", 0, deposit_got);
}

int service_start(void) { return teller_start(deposit); }
