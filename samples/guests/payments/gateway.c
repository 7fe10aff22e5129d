/*
 * payments.v1.Gateway: a payment provider. Charge{order, amount, idempotency_key} adds
 * `amount` to the order's total and counts one charge, then answers ChargeReply{charge_id}
 * (ids 1, 2, 3, ... per gateway). A non-empty idempotency_key seen before is not charged
 * again: the answer is the charge_id of the first request with that key. Without a key
 * every request charges, duplicates and retries included; that is what makes the buggy
 * Checkout charge twice. Charged{order} answers ChargedReply{total, charges} (0, 0 for an
 * order never charged). No bug is planted here.
 *
 * Limits: GATEWAY_ORDERS_MAX orders and GATEWAY_KEYS_MAX idempotency keys (a Charge that
 * needs one more is answered RESOURCE_EXHAUSTED and charges nothing); orders and keys of at
 * most GATEWAY_NAME_BYTES_MAX bytes, a non-empty order and a positive amount (else
 * INVALID_ARGUMENT); a total that would overflow int64 is answered OUT_OF_RANGE.
 */
#include <parigot.h>
#include <parigot_pb.h>
#include <string.h>

#define GATEWAY "payments.v1.Gateway"
#define GATEWAY_ORDERS_MAX 256
#define GATEWAY_KEYS_MAX 256
#define GATEWAY_NAME_BYTES_MAX 64
#define GATEWAY_REPLY_BYTES_MAX 24 /* two int64 fields: 2 x (tag + 10-byte varint) */

typedef struct {
    uint8_t bytes[GATEWAY_NAME_BYTES_MAX];
    size_t len;
} name;

typedef struct {
    name order;
    int64_t total;
    int64_t charges;
} order_entry;

typedef struct {
    name key;
    int64_t charge_id;
} key_entry;

static order_entry orders[GATEWAY_ORDERS_MAX];
static size_t orders_count;
static key_entry keys[GATEWAY_KEYS_MAX];
static size_t keys_count;
static int64_t charge_id_last;

static int name_equals(const name *n, const uint8_t *bytes, size_t len) {
    return n->len == len && memcmp(n->bytes, bytes, len) == 0;
}

static void name_set(name *n, const uint8_t *bytes, size_t len) {
    memcpy(n->bytes, bytes, len);
    n->len = len;
}

static order_entry *order_find(const uint8_t *order, size_t len) {
    for (size_t i = 0; i < orders_count; i++) {
        if (name_equals(&orders[i].order, order, len)) return &orders[i];
    }
    return NULL;
}

static key_entry *key_find(const uint8_t *key, size_t len) {
    for (size_t i = 0; i < keys_count; i++) {
        if (name_equals(&keys[i].key, key, len)) return &keys[i];
    }
    return NULL;
}

/* ChargeRequest{1: order, 2: amount, 3: idempotency_key}; ChargedRequest is {1: order}. */
typedef struct {
    const uint8_t *order;
    size_t order_len;
    int64_t amount;
    const uint8_t *key;
    size_t key_len;
} request;

static int request_parse(const uint8_t *req, size_t len, request *q) {
    *q = (request){0};
    pb_reader r;
    pb_field f;
    int more;
    pb_reader_init(&r, req, len);
    while ((more = pb_next_field(&r, &f)) == 1) {
        if (f.number == 1 && f.wire == PB_WIRE_LEN) {
            q->order = f.data;
            q->order_len = f.data_len;
        } else if (f.number == 2 && f.wire == PB_WIRE_VARINT) {
            q->amount = pb_field_int64(&f);
        } else if (f.number == 3 && f.wire == PB_WIRE_LEN) {
            q->key = f.data;
            q->key_len = f.data_len;
        }
    }
    if (more < 0 || q->order_len == 0 || q->order_len > GATEWAY_NAME_BYTES_MAX ||
        q->key_len > GATEWAY_NAME_BYTES_MAX) {
        return PG_INVALID_ARGUMENT;
    }
    return PG_OK;
}

/* Replies {1: int64, 2: int64}: ChargedReply, or ChargeReply with field2 0 (left out). */
static void reply_two(pg_call_id call, int64_t field1, int64_t field2) {
    uint8_t buf[GATEWAY_REPLY_BYTES_MAX];
    pb_writer w;
    pb_writer_init(&w, buf, sizeof buf);
    pb_put_int64(&w, 1, field1);
    pb_put_int64(&w, 2, field2);
    pg_reply(call, PG_OK, buf, w.len);
}

static void charge(pg_call_id call, const uint8_t *req, size_t len) {
    request q;
    if (request_parse(req, len, &q) != PG_OK || q.amount <= 0) {
        pg_log(PG_LOG_WARN, "gateway: malformed Charge request");
        pg_reply(call, PG_INVALID_ARGUMENT, NULL, 0);
        return;
    }
    const key_entry *seen = q.key_len > 0 ? key_find(q.key, q.key_len) : NULL;
    if (seen != NULL) {
        pg_log(PG_LOG_DEBUG, "charge %.*s amount %lld key '%.*s' -> charge %lld (duplicate, "
               "not charged)", (int)q.order_len, (const char *)q.order, (long long)q.amount,
               (int)q.key_len, (const char *)q.key, (long long)seen->charge_id);
        reply_two(call, seen->charge_id, 0);
        return;
    }
    /* Check every bound before changing anything, so a refused Charge charges nothing. */
    order_entry *o = order_find(q.order, q.order_len);
    int64_t total;
    if ((o == NULL && orders_count >= GATEWAY_ORDERS_MAX) ||
        (q.key_len > 0 && keys_count >= GATEWAY_KEYS_MAX)) {
        pg_log(PG_LOG_DEBUG, "charge %.*s: gateway full", (int)q.order_len,
               (const char *)q.order);
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return;
    }
    if (__builtin_add_overflow(o != NULL ? o->total : 0, q.amount, &total)) {
        pg_reply(call, PG_OUT_OF_RANGE, NULL, 0);
        return;
    }
    if (o == NULL) {
        o = &orders[orders_count++];
        *o = (order_entry){0};
        name_set(&o->order, q.order, q.order_len);
    }
    o->total = total;
    o->charges++;
    int64_t charge_id = ++charge_id_last;
    if (q.key_len > 0) {
        key_entry *k = &keys[keys_count++];
        name_set(&k->key, q.key, q.key_len);
        k->charge_id = charge_id;
    }
    pg_log(PG_LOG_DEBUG, "charge %.*s amount %lld key '%.*s' -> charge %lld (total %lld)",
           (int)q.order_len, (const char *)q.order, (long long)q.amount, (int)q.key_len,
           (const char *)q.key, (long long)charge_id, (long long)total);
    reply_two(call, charge_id, 0);
}

static void charged(pg_call_id call, const uint8_t *req, size_t len) {
    request q;
    if (request_parse(req, len, &q) != PG_OK) {
        pg_log(PG_LOG_WARN, "gateway: malformed Charged request");
        pg_reply(call, PG_INVALID_ARGUMENT, NULL, 0);
        return;
    }
    const order_entry *o = order_find(q.order, q.order_len);
    reply_two(call, o != NULL ? o->total : 0, o != NULL ? o->charges : 0);
}

int service_start(void) {
    pg_handle(GATEWAY, "Charge", charge);
    pg_handle(GATEWAY, "Charged", charged);
    return pg_export(GATEWAY);
}
