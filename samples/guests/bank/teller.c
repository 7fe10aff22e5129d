/*
 * bank.v1.Teller with the planted bug: Deposit reads the balance (Ledger.Get) and writes
 * back balance + amount (Ledger.Put) in a later event. Two deposits to one account whose
 * Gets both land before either Put lose one deposit. teller_fixed.c is the repair.
 */
#include "teller_common.h"

static void deposit_put(void *ctx, int status, const bank_v1_PutReply *reply) {
    teller_op *op = ctx;
    (void)reply;
    if (ledger_ok(op, status)) op_reply_deposit(op, op->balance);
}

static void deposit_got(void *ctx, int status, const bank_v1_GetReply *reply) {
    teller_op *op = ctx;
    if (!ledger_ok(op, status)) return;
    if (__builtin_add_overflow(reply->balance, op->amount, &op->balance)) {
        op_fail(op, PG_OUT_OF_RANGE);
        return;
    }
    /* THE BUG: reply->balance may be stale by the time this Put lands; another Deposit's
     * Put can come in between and be overwritten. */
    bank_v1_PutRequest put = {.balance = op->balance};
    strcpy(put.account, op->account);
    ledger_sent(op, bank_v1_Ledger_Put_call(&put, deposit_put, op));
}

static void deposit(pg_call_id call, const bank_v1_DepositRequest *req) {
    teller_op *op = op_begin(call, req->account, req->amount);
    if (op != NULL) ledger_get(op, deposit_got);
}

int service_start(void) { return teller_start(deposit); }
