/*
 * kv.v1.Store, fixed: Put is Write, then Sync, and only then OK. An acknowledged Put has
 * reached the disk, so it survives a crash. A failed Write or Sync is passed through.
 */
#include "kv_common.h"

static void put_synced(void *ctx, int status, const uint8_t *payload, size_t len) {
    kv_op *op = ctx;
    (void)payload, (void)len;
    pg_log(PG_LOG_DEBUG, "put %s (%zu bytes) -> synced, status %d", op->key, op->value_len,
           status);
    op_end(op, status);
}

static void put_written(void *ctx, int status, const uint8_t *payload, size_t len) {
    kv_op *op = ctx;
    (void)payload, (void)len;
    if (status != PG_OK) {
        pg_log(PG_LOG_DEBUG, "put %s -> write failed, status %d", op->key, status);
        op_end(op, status);
        return;
    }
    int64_t id = pg_storage_sync(put_synced, op);
    if (id <= 0) op_end(op, refused_status(id));
}

static void put(pg_call_id call, const kv_v1_PutRequest *req) {
    kv_op *op = op_begin(call, req->key, req->value.size);
    if (op == NULL) return;
    int64_t id = pg_storage_write(op->key, req->value.bytes, req->value.size, put_written, op);
    if (id <= 0) op_end(op, refused_status(id));
}

int service_start(void) { return kv_start(put); }
