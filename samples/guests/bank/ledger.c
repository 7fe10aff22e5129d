/*
 * bank.v1.Ledger: account balances in memory (account name -> int64; a missing account
 * reads as 0). Every operation is one handler, so each is atomic on this node: Add is the
 * read-modify-write that the fixed Teller relies on.
 *
 * Limits: LEDGER_ACCOUNTS_MAX accounts (a Put or Add creating one more is answered
 * RESOURCE_EXHAUSTED), names of 1..LEDGER_ACCOUNT_NAME_BYTES_MAX bytes (else
 * INVALID_ARGUMENT); an Add that would overflow int64 is answered OUT_OF_RANGE.
 */
#include <parigot.h>
#include <parigot_pb.h>
#include <string.h>

#define LEDGER "bank.v1.Ledger"
#define LEDGER_ACCOUNTS_MAX 64
#define LEDGER_ACCOUNT_NAME_BYTES_MAX 64
#define LEDGER_REPLY_BYTES_MAX 16 /* one int64 field: tag + 10-byte varint */

typedef struct {
    uint8_t name[LEDGER_ACCOUNT_NAME_BYTES_MAX];
    size_t name_len;
    int64_t balance;
} account;

static account accounts[LEDGER_ACCOUNTS_MAX];
static size_t accounts_count;

/* GetRequest, PutRequest and AddRequest all read {1: string account, 2: int64 value}. */
typedef struct {
    const uint8_t *name;
    size_t name_len;
    int64_t value;
} request;

static int request_parse(const uint8_t *req, size_t len, request *out) {
    *out = (request){0};
    pb_reader r;
    pb_field f;
    int more;
    pb_reader_init(&r, req, len);
    while ((more = pb_next_field(&r, &f)) == 1) {
        if (f.number == 1 && f.wire == PB_WIRE_LEN) {
            out->name = f.data;
            out->name_len = f.data_len;
        } else if (f.number == 2 && f.wire == PB_WIRE_VARINT) {
            out->value = pb_field_int64(&f);
        }
    }
    if (more < 0) return PG_INVALID_ARGUMENT;
    if (out->name_len == 0 || out->name_len > LEDGER_ACCOUNT_NAME_BYTES_MAX) {
        return PG_INVALID_ARGUMENT;
    }
    return PG_OK;
}

static account *account_find(const request *q) {
    for (size_t i = 0; i < accounts_count; i++) {
        if (accounts[i].name_len == q->name_len &&
            memcmp(accounts[i].name, q->name, q->name_len) == 0) {
            return &accounts[i];
        }
    }
    return NULL;
}

/* The account named by q, created at 0 if missing; NULL when the table is full. */
static account *account_find_or_create(const request *q) {
    account *a = account_find(q);
    if (a != NULL || accounts_count >= LEDGER_ACCOUNTS_MAX) return a;
    a = &accounts[accounts_count++];
    memcpy(a->name, q->name, q->name_len);
    a->name_len = q->name_len;
    a->balance = 0;
    return a;
}

/* Replies {1: int64 balance}: the layout of GetReply and AddReply. */
static void reply_balance(pg_call_id call, int64_t balance) {
    uint8_t buf[LEDGER_REPLY_BYTES_MAX];
    pb_writer w;
    pb_writer_init(&w, buf, sizeof buf);
    pb_put_int64(&w, 1, balance);
    pg_reply(call, PG_OK, buf, w.len);
}

/* Parses the request or answers the call with the error; 1 if the handler may go on. */
static int request_or_reply(pg_call_id call, const uint8_t *req, size_t len, request *q) {
    int status = request_parse(req, len, q);
    if (status == PG_OK) return 1;
    pg_log(PG_LOG_WARN, "ledger: malformed request or account name");
    pg_reply(call, status, NULL, 0);
    return 0;
}

static void get(pg_call_id call, const uint8_t *req, size_t len) {
    request q;
    if (!request_or_reply(call, req, len, &q)) return;
    const account *a = account_find(&q);
    int64_t balance = a != NULL ? a->balance : 0;
    pg_log(PG_LOG_DEBUG, "Get %.*s -> %lld", (int)q.name_len, (const char *)q.name,
           (long long)balance);
    reply_balance(call, balance);
}

static void put(pg_call_id call, const uint8_t *req, size_t len) {
    request q;
    if (!request_or_reply(call, req, len, &q)) return;
    account *a = account_find_or_create(&q);
    if (a == NULL) {
        pg_log(PG_LOG_DEBUG, "Put %.*s: ledger full", (int)q.name_len, (const char *)q.name);
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return;
    }
    a->balance = q.value;
    pg_log(PG_LOG_DEBUG, "Put %.*s = %lld", (int)q.name_len, (const char *)q.name,
           (long long)q.value);
    pg_reply(call, PG_OK, NULL, 0); /* PutReply has no fields */
}

static void add(pg_call_id call, const uint8_t *req, size_t len) {
    request q;
    if (!request_or_reply(call, req, len, &q)) return;
    account *a = account_find_or_create(&q);
    if (a == NULL) {
        pg_log(PG_LOG_DEBUG, "Add %.*s: ledger full", (int)q.name_len, (const char *)q.name);
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return;
    }
    int64_t balance;
    if (__builtin_add_overflow(a->balance, q.value, &balance)) {
        pg_reply(call, PG_OUT_OF_RANGE, NULL, 0);
        return;
    }
    a->balance = balance;
    pg_log(PG_LOG_DEBUG, "Add %.*s += %lld -> %lld", (int)q.name_len, (const char *)q.name,
           (long long)q.value, (long long)balance);
    reply_balance(call, balance);
}

int service_start(void) {
    pg_handle(LEDGER, "Get", get);
    pg_handle(LEDGER, "Put", put);
    pg_handle(LEDGER, "Add", add);
    return pg_export(LEDGER);
}
