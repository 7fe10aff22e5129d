/*
 * kv.v1.Store with the planted bug: Put writes to storage and answers OK as soon as the
 * Write is acknowledged, but a Write is only buffered until a Sync. A crash of the node
 * after the OK and before some later Sync loses (or tears) a write the caller was told
 * had succeeded. kv_fixed.c is the repair.
 */
#include "kv_common.h"

static void put_written(void *ctx, int status, const uint8_t *payload, size_t len) {
    kv_op *op = ctx;
    (void)payload, (void)len;
    /* THE BUG: nothing has synced this write, yet the caller hears it is stored. */
    pg_log(PG_LOG_DEBUG, "put %s (%zu bytes) -> written, status %d", op->key, op->value_len,
           status);
    op_end(op, status);
}

static void put(pg_call_id call, const kv_v1_PutRequest *req) {
    kv_op *op = op_begin(call, req->key, req->value.size);
    if (op == NULL) return;
    int64_t id = pg_storage_write(op->key, req->value.bytes, req->value.size, put_written, op);
    if (id <= 0) op_end(op, refused_status(id));
}

int service_start(void) { return kv_start(put); }
