/*
 * What kv.c and kv_fixed.c share: kv.v1.Store on the node's durable storage
 * (parigot.storage.v1.Storage, through parigot_storage.h), one storage key per store key,
 * on nanopb messages and the generated stubs of kv.proto. Get{key} reads it and answers
 * GetReply{found, value}. Each file adds its own Put. A non-OK status from storage is
 * passed through to the caller unchanged.
 *
 * Limits: KV_OPS_MAX operations in flight (one more is answered RESOURCE_EXHAUSTED); keys
 * of 1..128 bytes and values of up to 4 KiB (kv.options; else INVALID_ARGUMENT).
 */
#ifndef KV_COMMON_H
#define KV_COMMON_H

#include "kv.parigot.h"
#include <parigot_storage.h>
#include <string.h>

#define KV_OPS_MAX 256

/* A Put or Get in flight: the caller to answer and the key, NUL-terminated for storage. */
typedef struct {
    int used;
    pg_call_id caller;
    char key[sizeof ((kv_v1_PutRequest *)0)->key];
    size_t value_len; /* Put only, for the log */
} kv_op;

static kv_op kv_ops[KV_OPS_MAX];

/* Answers the caller with a non-OK status, or OK for a Put (PutReply has no fields), and
 * ends the operation. */
static void op_end(kv_op *op, int status) {
    if (status == PG_OK) {
        kv_v1_Store_Put_reply(op->caller, &(kv_v1_PutReply){0});
    } else {
        pg_reply(op->caller, status, NULL, 0);
    }
    op->used = 0;
}

/* The status to answer when a storage call was refused with `id` (minus a status). */
static int refused_status(int64_t id) {
    return id < 0 && id >= -PG_UNAUTHENTICATED ? (int)-id : PG_INTERNAL;
}

/* Starts an operation on `key` (a Put's value has value_len bytes). On an empty key or a
 * full pool it answers the call and returns NULL. */
static kv_op *op_begin(pg_call_id call, const char *key, size_t value_len) {
    kv_op *op = NULL;
    for (size_t i = 0; i < KV_OPS_MAX && op == NULL; i++) {
        if (!kv_ops[i].used) op = &kv_ops[i];
    }
    if (op == NULL) {
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return NULL;
    }
    *op = (kv_op){.used = 1, .caller = call, .value_len = value_len};
    if (key[0] == '\0') {
        pg_log(PG_LOG_WARN, "kv: empty key");
        op_end(op, PG_INVALID_ARGUMENT);
        return NULL;
    }
    strcpy(op->key, key); /* the request is gone after this handler; same max_size */
    return op;
}

static void got(void *ctx, int status, const uint8_t *payload, size_t len) {
    kv_op *op = ctx;
    int found;
    const uint8_t *value;
    size_t value_len;
    kv_v1_GetReply reply = kv_v1_GetReply_init_zero;
    if (status == PG_OK &&
        (pg_storage_decode_read(payload, len, &found, &value, &value_len) != 0 ||
         value_len > sizeof reply.value.bytes)) {
        status = PG_INTERNAL;
    }
    if (status != PG_OK) {
        pg_log(PG_LOG_DEBUG, "get %s -> storage status %d", op->key, status);
        pg_reply(op->caller, status, NULL, 0);
        op->used = 0;
        return;
    }
    pg_log(PG_LOG_DEBUG, "get %s -> %s, %zu bytes", op->key, found ? "found" : "not found",
           value_len);
    reply.found = found;
    reply.value.size = (pb_size_t)value_len;
    if (value_len > 0) memcpy(reply.value.bytes, value, value_len);
    kv_v1_Store_Get_reply(op->caller, &reply);
    op->used = 0;
}

static void get(pg_call_id call, const kv_v1_GetRequest *req) {
    kv_op *op = op_begin(call, req->key, 0);
    if (op == NULL) return;
    int64_t id = pg_storage_read(op->key, got, op);
    if (id <= 0) op_end(op, refused_status(id));
}

/* The Store's service_start, given its Put. */
static int kv_start(kv_v1_Store_Put_handler put) {
    const kv_v1_Store_handlers handlers = {.Put = put, .Get = get};
    int status = kv_v1_Store_register(&handlers);
    if (status != PG_OK) return status;
    return pg_require(PG_STORAGE);
}

#endif /* KV_COMMON_H */
