/*
 * bank.v1.Ledger: account balances in memory (account name -> int64; a missing account
 * reads as 0), on nanopb messages and the generated stubs of bank.proto. Every operation is
 * one handler, so each is atomic on this node: Add is the read-modify-write that the fixed
 * Teller relies on.
 *
 * Limits: LEDGER_ACCOUNTS_MAX accounts (a Put or Add creating one more is answered
 * RESOURCE_EXHAUSTED), names of 1..64 bytes (bank.options; else INVALID_ARGUMENT); an Add
 * that would overflow int64 is answered OUT_OF_RANGE.
 */
#include "bank.parigot.h"
#include <string.h>

#define LEDGER_ACCOUNTS_MAX 64

typedef struct {
    char name[sizeof ((bank_v1_GetRequest *)0)->account];
    int64_t balance;
} account;

static account accounts[LEDGER_ACCOUNTS_MAX];
static size_t accounts_count;

static account *account_find(const char *name) {
    for (size_t i = 0; i < accounts_count; i++) {
        if (strcmp(accounts[i].name, name) == 0) return &accounts[i];
    }
    return NULL;
}

/* The account `name`, created at 0 if missing; NULL when the table is full. */
static account *account_find_or_create(const char *name) {
    account *a = account_find(name);
    if (a != NULL || accounts_count >= LEDGER_ACCOUNTS_MAX) return a;
    a = &accounts[accounts_count++];
    strcpy(a->name, name); /* the same max_size bounds both */
    a->balance = 0;
    return a;
}

/* An empty account name is refused (the stubs have already refused over-long ones). */
static int named(pg_call_id call, const char *name) {
    if (name[0] != '\0') return 1;
    pg_log(PG_LOG_WARN, "ledger: empty account name");
    pg_reply(call, PG_INVALID_ARGUMENT, NULL, 0);
    return 0;
}

static void get(pg_call_id call, const bank_v1_GetRequest *req) {
    if (!named(call, req->account)) return;
    const account *a = account_find(req->account);
    bank_v1_GetReply reply = {.balance = a != NULL ? a->balance : 0};
    pg_log(PG_LOG_DEBUG, "Get %s -> %lld", req->account, (long long)reply.balance);
    bank_v1_Ledger_Get_reply(call, &reply);
}

static void put(pg_call_id call, const bank_v1_PutRequest *req) {
    if (!named(call, req->account)) return;
    account *a = account_find_or_create(req->account);
    if (a == NULL) {
        pg_log(PG_LOG_DEBUG, "Put %s: ledger full", req->account);
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return;
    }
    a->balance = req->balance;
    pg_log(PG_LOG_DEBUG, "Put %s = %lld", req->account, (long long)req->balance);
    bank_v1_Ledger_Put_reply(call, &(bank_v1_PutReply){0});
}

static void add(pg_call_id call, const bank_v1_AddRequest *req) {
    if (!named(call, req->account)) return;
    account *a = account_find_or_create(req->account);
    if (a == NULL) {
        pg_log(PG_LOG_DEBUG, "Add %s: ledger full", req->account);
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return;
    }
    int64_t balance;
    if (__builtin_add_overflow(a->balance, req->delta, &balance)) {
        pg_reply(call, PG_OUT_OF_RANGE, NULL, 0);
        return;
    }
    a->balance = balance;
    pg_log(PG_LOG_DEBUG, "Add %s += %lld -> %lld", req->account, (long long)req->delta,
           (long long)balance);
    bank_v1_Ledger_Add_reply(call, &(bank_v1_AddReply){.balance = balance});
}

int service_start(void) {
    static const bank_v1_Ledger_handlers handlers = {.Get = get, .Put = put, .Add = add};
    return bank_v1_Ledger_register(&handlers);
}
