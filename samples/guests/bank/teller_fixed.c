/*
 * bank.v1.Teller, fixed: Deposit is one Ledger.Add, a read-modify-write that the Ledger
 * does within a single event, so concurrent deposits cannot lose one another.
 */
#include "teller_common.h"

static void deposit_added(void *ctx, int status, const uint8_t *payload, size_t len) {
    teller_op *op = ctx;
    int64_t balance;
    if (ledger_balance(op, status, payload, len, &balance)) op_reply_balance(op, balance);
}

static void deposit(pg_call_id call, const uint8_t *req, size_t len) {
    teller_op *op = op_begin(call, req, len);
    if (op != NULL) ledger_call(op, "Add", op->amount, deposit_added);
}

int service_start(void) { return teller_start(deposit); }
