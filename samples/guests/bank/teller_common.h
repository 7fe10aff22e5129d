/*
 * What teller.c and teller_fixed.c share: the pool of operations in flight, calls to the
 * Ledger, and the Balance method, on nanopb messages and the generated stubs of bank.proto.
 * Each file adds its own Deposit.
 *
 * Limits: TELLER_OPS_MAX operations in flight (one more is answered RESOURCE_EXHAUSTED);
 * account names of 1..64 bytes (bank.options) and amounts >= 0 (else INVALID_ARGUMENT). A
 * non-OK status from the Ledger is passed through to the Teller's caller unchanged.
 */
#ifndef TELLER_COMMON_H
#define TELLER_COMMON_H

#include "bank.parigot.h"
#include <string.h>

#define TELLER_OPS_MAX 256

/* A Teller call in flight: the caller to answer and what it asked for. */
typedef struct {
    int used;
    pg_call_id caller;
    char account[sizeof ((bank_v1_DepositRequest *)0)->account];
    int64_t amount;  /* Deposit only */
    int64_t balance; /* the balance to report once the Ledger has confirmed it */
} teller_op;

static teller_op teller_ops[TELLER_OPS_MAX];

static void op_end(teller_op *op) { op->used = 0; }

/* Answers the caller with a non-OK status and ends the operation. */
static void op_fail(teller_op *op, int status) {
    pg_reply(op->caller, status, NULL, 0);
    op_end(op);
}

/* Answers a Deposit with DepositReply{balance} and ends the operation. */
static void op_reply_deposit(teller_op *op, int64_t balance) {
    bank_v1_Teller_Deposit_reply(op->caller, &(bank_v1_DepositReply){.balance = balance});
    op_end(op);
}

/* Starts an operation for `account` and `amount` (0 for Balance). On a bad request or a full
 * pool it answers the call and returns NULL. */
static teller_op *op_begin(pg_call_id call, const char *account, int64_t amount) {
    teller_op *op = NULL;
    for (size_t i = 0; i < TELLER_OPS_MAX && op == NULL; i++) {
        if (!teller_ops[i].used) op = &teller_ops[i];
    }
    if (op == NULL) {
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return NULL;
    }
    *op = (teller_op){.used = 1, .caller = call, .amount = amount};
    if (account[0] == '\0' || amount < 0) {
        op_fail(op, PG_INVALID_ARGUMENT);
        return NULL;
    }
    strcpy(op->account, account); /* the request is gone after this handler; same max_size */
    return op;
}

/* A call to the Ledger that could not be sent (id, minus a status) fails op. */
static void ledger_sent(teller_op *op, int64_t id) {
    if (id <= 0) op_fail(op, id < 0 && id >= -PG_UNAUTHENTICATED ? (int)-id : PG_INTERNAL);
}

/* Ledger.Get{account}, answered in cb. */
static void ledger_get(teller_op *op, bank_v1_Ledger_Get_result cb) {
    bank_v1_GetRequest req = bank_v1_GetRequest_init_zero;
    strcpy(req.account, op->account);
    ledger_sent(op, bank_v1_Ledger_Get_call(&req, cb, op));
}

/* The Ledger's {balance} reply to op's call: 1, or the caller is answered (passing a non-OK
 * status through) and 0 is returned. */
static int ledger_ok(teller_op *op, int status) {
    if (status == PG_OK) return 1;
    op_fail(op, status);
    return 0;
}

static void balance_got(void *ctx, int status, const bank_v1_GetReply *reply) {
    teller_op *op = ctx;
    if (!ledger_ok(op, status)) return;
    bank_v1_Teller_Balance_reply(op->caller, &(bank_v1_BalanceReply){.balance = reply->balance});
    op_end(op);
}

static void balance(pg_call_id call, const bank_v1_BalanceRequest *req) {
    teller_op *op = op_begin(call, req->account, 0);
    if (op != NULL) ledger_get(op, balance_got);
}

/* The Teller's service_start, given its Deposit. */
static int teller_start(bank_v1_Teller_Deposit_handler deposit) {
    const bank_v1_Teller_handlers handlers = {.Deposit = deposit, .Balance = balance};
    int status = bank_v1_Teller_register(&handlers);
    if (status != PG_OK) return status;
    return bank_v1_Ledger_require();
}

#endif /* TELLER_COMMON_H */
