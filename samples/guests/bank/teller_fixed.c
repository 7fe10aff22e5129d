/*
 * bank.v1.Teller, fixed: Deposit is one Ledger.Add, a read-modify-write that the Ledger
 * does within a single event, so concurrent deposits cannot lose one another.
 */
#include "teller_common.h"

static void deposit_added(void *ctx, int status, const bank_v1_AddReply *reply) {
    teller_op *op = ctx;
    if (ledger_ok(op, status)) op_reply_deposit(op, reply->balance);
}

static void deposit(pg_call_id call, const bank_v1_DepositRequest *req) {
    teller_op *op = op_begin(call, req->account, req->amount);
    if (op != NULL) {
        bank_v1_AddRequest add = {.delta = op->amount};
        strcpy(add.account, op->account);
        ledger_sent(op, bank_v1_Ledger_Add_call(&add, deposit_added, op));
    }
}

int service_start(void) { return teller_start(deposit); }
