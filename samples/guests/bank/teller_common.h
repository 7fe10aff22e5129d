/*
 * What teller.c and teller_fixed.c share: request parsing, the pool of operations in
 * flight, calls to the Ledger, and the Balance method. Each file adds its own Deposit.
 *
 * Limits: TELLER_OPS_MAX operations in flight (one more is answered RESOURCE_EXHAUSTED);
 * account names up to TELLER_ACCOUNT_NAME_BYTES_MAX bytes (else INVALID_ARGUMENT). A
 * non-OK status from the Ledger is passed through to the Teller's caller unchanged.
 */
#ifndef TELLER_COMMON_H
#define TELLER_COMMON_H

#include <parigot.h>
#include <parigot_pb.h>
#include <string.h>

#define TELLER "bank.v1.Teller"
#define LEDGER "bank.v1.Ledger"
#define TELLER_OPS_MAX 256
#define TELLER_ACCOUNT_NAME_BYTES_MAX 64
/* account (tag + length + name) + one int64 field (tag + 10-byte varint) */
#define TELLER_MESSAGE_BYTES_MAX (TELLER_ACCOUNT_NAME_BYTES_MAX + 16)

/* A Teller call in flight: the caller to answer and what it asked for. */
typedef struct {
    int used;
    pg_call_id caller;
    uint8_t account[TELLER_ACCOUNT_NAME_BYTES_MAX];
    size_t account_len;
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

/* Answers {1: int64 balance} (DepositReply and BalanceReply) and ends the operation. */
static void op_reply_balance(teller_op *op, int64_t balance) {
    uint8_t buf[TELLER_MESSAGE_BYTES_MAX];
    pb_writer w;
    pb_writer_init(&w, buf, sizeof buf);
    pb_put_int64(&w, 1, balance);
    pg_reply(op->caller, PG_OK, buf, w.len);
    op_end(op);
}

/* Starts an operation from a {1: string account, 2: int64 amount} request (DepositRequest,
 * BalanceRequest). On a bad request or a full pool it answers the call and returns NULL. */
static teller_op *op_begin(pg_call_id call, const uint8_t *req, size_t len) {
    teller_op *op = NULL;
    for (size_t i = 0; i < TELLER_OPS_MAX && op == NULL; i++) {
        if (!teller_ops[i].used) op = &teller_ops[i];
    }
    if (op == NULL) {
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return NULL;
    }
    *op = (teller_op){.used = 1, .caller = call};
    pb_reader r;
    pb_field f;
    int more;
    int status = PG_OK;
    pb_reader_init(&r, req, len);
    while ((more = pb_next_field(&r, &f)) == 1) {
        if (f.number == 1 && f.wire == PB_WIRE_LEN) {
            if (f.data_len > TELLER_ACCOUNT_NAME_BYTES_MAX) {
                status = PG_INVALID_ARGUMENT;
                continue;
            }
            memcpy(op->account, f.data, f.data_len); /* req is freed after this handler */
            op->account_len = f.data_len;
        } else if (f.number == 2 && f.wire == PB_WIRE_VARINT) {
            op->amount = pb_field_int64(&f);
        }
    }
    if (more < 0 || op->account_len == 0 || op->amount < 0) status = PG_INVALID_ARGUMENT;
    if (status != PG_OK) {
        op_fail(op, status);
        return NULL;
    }
    return op;
}

/* Reads {1: int64 balance} (GetReply, AddReply); -1 if malformed. */
static int parse_balance(const uint8_t *payload, size_t len, int64_t *balance) {
    pb_reader r;
    pb_field f;
    int more;
    *balance = 0;
    pb_reader_init(&r, payload, len);
    while ((more = pb_next_field(&r, &f)) == 1) {
        if (f.number == 1 && f.wire == PB_WIRE_VARINT) *balance = pb_field_int64(&f);
    }
    return more;
}

/* Calls Ledger.method with {1: account, 2: value}; on failure answers the caller. */
static void ledger_call(teller_op *op, const char *method, int64_t value, pg_result_fn cb) {
    uint8_t buf[TELLER_MESSAGE_BYTES_MAX];
    pb_writer w;
    pb_writer_init(&w, buf, sizeof buf);
    pb_put_bytes(&w, 1, op->account, op->account_len);
    pb_put_int64(&w, 2, value);
    int64_t id = pg_call(LEDGER, method, buf, w.len, cb, op);
    if (id <= 0) op_fail(op, id < 0 && id >= -PG_UNAUTHENTICATED ? (int)-id : PG_INTERNAL);
}

/* The Ledger's {1: int64 balance} reply to op's call: the balance, or the caller is answered
 * (passing a non-OK status through) and 0 is returned. */
static int ledger_balance(teller_op *op, int status, const uint8_t *payload, size_t len,
                          int64_t *balance) {
    if (status != PG_OK) {
        op_fail(op, status);
        return 0;
    }
    if (parse_balance(payload, len, balance) < 0) {
        op_fail(op, PG_INTERNAL);
        return 0;
    }
    return 1;
}

static void balance_got(void *ctx, int status, const uint8_t *payload, size_t len) {
    teller_op *op = ctx;
    int64_t balance;
    if (ledger_balance(op, status, payload, len, &balance)) op_reply_balance(op, balance);
}

static void balance(pg_call_id call, const uint8_t *req, size_t len) {
    teller_op *op = op_begin(call, req, len);
    if (op != NULL) ledger_call(op, "Get", 0, balance_got);
}

/* The Teller's service_start, given its Deposit. */
static int teller_start(pg_method_fn deposit) {
    int status = pg_export(TELLER);
    if (status != PG_OK) return status;
    status = pg_require(LEDGER);
    if (status != PG_OK) return status;
    pg_handle(TELLER, "Deposit", deposit);
    pg_handle(TELLER, "Balance", balance);
    return PG_OK;
}

#endif /* TELLER_COMMON_H */
