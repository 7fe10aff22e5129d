/*
 * What kv.c and kv_fixed.c share: kv.v1.Store on the node's durable storage
 * (parigot.storage.v1.Storage, through parigot_storage.h), one storage key per store key.
 * Get{key} reads it and answers GetReply{found, value}. Each file adds its own Put.
 * A non-OK status from storage is passed through to the caller unchanged.
 *
 * Limits: KV_OPS_MAX operations in flight (one more is answered RESOURCE_EXHAUSTED); keys
 * of 1..KV_KEY_BYTES_MAX bytes without NUL bytes (else INVALID_ARGUMENT).
 */
#ifndef KV_COMMON_H
#define KV_COMMON_H

#include <parigot.h>
#include <parigot_pb.h>
#include <parigot_storage.h>

#define STORE "kv.v1.Store"
#define KV_OPS_MAX 256
#define KV_KEY_BYTES_MAX 128

/* A Put or Get in flight: the caller to answer and the key, NUL-terminated for storage. */
typedef struct {
    int used;
    pg_call_id caller;
    char key[KV_KEY_BYTES_MAX + 1];
    size_t value_len; /* Put only, for the log */
} kv_op;

static kv_op kv_ops[KV_OPS_MAX];

/* Answers the caller (a non-OK status carries no payload) and ends the operation. */
static void op_end(kv_op *op, int status, const void *payload, size_t len) {
    pg_reply(op->caller, status, status == PG_OK ? payload : NULL, status == PG_OK ? len : 0);
    op->used = 0;
}

/* The status to answer when a storage call was refused with `id` (minus a status). */
static int refused_status(int64_t id) {
    return id < 0 && id >= -PG_UNAUTHENTICATED ? (int)-id : PG_INTERNAL;
}

/* Starts an operation from a {1: string key, 2: bytes value} request (PutRequest,
 * GetRequest); *value points into req. On a bad request or a full pool it answers the
 * call and returns NULL. */
static kv_op *op_begin(pg_call_id call, const uint8_t *req, size_t len, const uint8_t **value,
                       size_t *value_len) {
    kv_op *op = NULL;
    for (size_t i = 0; i < KV_OPS_MAX && op == NULL; i++) {
        if (!kv_ops[i].used) op = &kv_ops[i];
    }
    if (op == NULL) {
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return NULL;
    }
    *op = (kv_op){.used = 1, .caller = call};
    *value = NULL;
    *value_len = 0;
    pb_reader r;
    pb_field f;
    int more;
    int status = PG_OK;
    pb_reader_init(&r, req, len);
    while ((more = pb_next_field(&r, &f)) == 1) {
        if (f.number == 1 && f.wire == PB_WIRE_LEN) {
            if (pb_field_cstring(&f, op->key, sizeof op->key) < 0) status = PG_INVALID_ARGUMENT;
        } else if (f.number == 2 && f.wire == PB_WIRE_LEN) {
            *value = f.data;
            *value_len = f.data_len;
        }
    }
    if (more < 0 || op->key[0] == '\0') status = PG_INVALID_ARGUMENT;
    if (status != PG_OK) {
        pg_log(PG_LOG_WARN, "kv: malformed request or key");
        op_end(op, status, NULL, 0);
        return NULL;
    }
    op->value_len = *value_len;
    return op;
}

static void got(void *ctx, int status, const uint8_t *payload, size_t len) {
    kv_op *op = ctx;
    int found;
    const uint8_t *value;
    size_t value_len;
    if (status != PG_OK) {
        pg_log(PG_LOG_DEBUG, "get %s -> storage status %d", op->key, status);
        op_end(op, status, NULL, 0);
        return;
    }
    if (pg_storage_decode_read(payload, len, &found, &value, &value_len) != 0) {
        op_end(op, PG_INTERNAL, NULL, 0);
        return;
    }
    pg_log(PG_LOG_DEBUG, "get %s -> %s, %zu bytes", op->key, found ? "found" : "not found",
           value_len);
    /* ReadReply and GetReply are both {1: bool found, 2: bytes value}: forward the bytes. */
    op_end(op, PG_OK, payload, len);
}

static void get(pg_call_id call, const uint8_t *req, size_t len) {
    const uint8_t *unused;
    size_t unused_len;
    kv_op *op = op_begin(call, req, len, &unused, &unused_len);
    if (op == NULL) return;
    int64_t id = pg_storage_read(op->key, got, op);
    if (id <= 0) op_end(op, refused_status(id), NULL, 0);
}

/* The Store's service_start, given its Put. */
static int kv_start(pg_method_fn put) {
    int status = pg_export(STORE);
    if (status != PG_OK) return status;
    status = pg_require(PG_STORAGE);
    if (status != PG_OK) return status;
    pg_handle(STORE, "Put", put);
    pg_handle(STORE, "Get", get);
    return PG_OK;
}

#endif /* KV_COMMON_H */
