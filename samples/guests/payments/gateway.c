/*
 * payments.v1.Gateway: a payment provider, on nanopb messages and the generated stubs of
 * payments.proto. Charge{order, amount, idempotency_key} adds `amount` to the order's total
 * and counts one charge, then answers ChargeReply{charge_id} (ids 1, 2, 3, ... per gateway).
 * A non-empty idempotency_key seen before is not charged again: the answer is the charge_id
 * of the first request with that key. Without a key every request charges, duplicates and
 * retries included; that is what makes the buggy Checkout charge twice. Charged{order}
 * answers ChargedReply{total, charges} (0, 0 for an order never charged). No bug is planted
 * here.
 *
 * Limits: GATEWAY_ORDERS_MAX orders and GATEWAY_KEYS_MAX idempotency keys (a Charge that
 * needs one more is answered RESOURCE_EXHAUSTED and charges nothing); orders and keys of at
 * most 64 bytes (payments.options), a non-empty order and a positive amount (else
 * INVALID_ARGUMENT); a total that would overflow int64 is answered OUT_OF_RANGE.
 */
#include "payments.parigot.h"
#include <string.h>

#define GATEWAY_ORDERS_MAX 256
#define GATEWAY_KEYS_MAX 256

typedef struct {
    char order[sizeof ((payments_v1_ChargeRequest *)0)->order];
    int64_t total;
    int64_t charges;
} order_entry;

typedef struct {
    char key[sizeof ((payments_v1_ChargeRequest *)0)->idempotency_key];
    int64_t charge_id;
} key_entry;

static order_entry orders[GATEWAY_ORDERS_MAX];
static size_t orders_count;
static key_entry keys[GATEWAY_KEYS_MAX];
static size_t keys_count;
static int64_t charge_id_last;

static order_entry *order_find(const char *order) {
    for (size_t i = 0; i < orders_count; i++) {
        if (strcmp(orders[i].order, order) == 0) return &orders[i];
    }
    return NULL;
}

static key_entry *key_find(const char *key) {
    for (size_t i = 0; i < keys_count; i++) {
        if (strcmp(keys[i].key, key) == 0) return &keys[i];
    }
    return NULL;
}

static void charge(pg_call_id call, const payments_v1_ChargeRequest *req) {
    if (req->order[0] == '\0' || req->amount <= 0) {
        pg_log(PG_LOG_WARN, "gateway: malformed Charge request");
        pg_reply(call, PG_INVALID_ARGUMENT, NULL, 0);
        return;
    }
    int keyed = req->idempotency_key[0] != '\0';
    const key_entry *seen = keyed ? key_find(req->idempotency_key) : NULL;
    if (seen != NULL) {
        pg_log(PG_LOG_DEBUG, "charge %s amount %lld key '%s' -> charge %lld (duplicate, "
               "not charged)", req->order, (long long)req->amount, req->idempotency_key,
               (long long)seen->charge_id);
        payments_v1_ChargeReply reply = {.charge_id = seen->charge_id};
        payments_v1_Gateway_Charge_reply(call, &reply);
        return;
    }
    /* Check every bound before changing anything, so a refused Charge charges nothing. */
    order_entry *o = order_find(req->order);
    int64_t total;
    if ((o == NULL && orders_count >= GATEWAY_ORDERS_MAX) ||
        (keyed && keys_count >= GATEWAY_KEYS_MAX)) {
        pg_log(PG_LOG_DEBUG, "charge %s: gateway full", req->order);
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return;
    }
    if (__builtin_add_overflow(o != NULL ? o->total : 0, req->amount, &total)) {
        pg_reply(call, PG_OUT_OF_RANGE, NULL, 0);
        return;
    }
    if (o == NULL) {
        o = &orders[orders_count++];
        *o = (order_entry){0};
        strcpy(o->order, req->order); /* the same max_size bounds both */
    }
    o->total = total;
    o->charges++;
    int64_t charge_id = ++charge_id_last;
    if (keyed) {
        key_entry *k = &keys[keys_count++];
        strcpy(k->key, req->idempotency_key);
        k->charge_id = charge_id;
    }
    pg_log(PG_LOG_DEBUG, "charge %s amount %lld key '%s' -> charge %lld (total %lld)",
           req->order, (long long)req->amount, req->idempotency_key, (long long)charge_id,
           (long long)total);
    payments_v1_Gateway_Charge_reply(call, &(payments_v1_ChargeReply){.charge_id = charge_id});
}

static void charged(pg_call_id call, const payments_v1_ChargedRequest *req) {
    if (req->order[0] == '\0') {
        pg_log(PG_LOG_WARN, "gateway: malformed Charged request");
        pg_reply(call, PG_INVALID_ARGUMENT, NULL, 0);
        return;
    }
    const order_entry *o = order_find(req->order);
    payments_v1_ChargedReply reply = {.total = o != NULL ? o->total : 0,
                                      .charges = o != NULL ? o->charges : 0};
    payments_v1_Gateway_Charged_reply(call, &reply);
}

int service_start(void) {
    static const payments_v1_Gateway_handlers handlers = {.Charge = charge, .Charged = charged};
    return payments_v1_Gateway_register(&handlers);
}
