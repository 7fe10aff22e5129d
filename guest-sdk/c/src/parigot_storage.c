/* parigot_storage.c: the storage service's messages, encoded and decoded (see
 * include/parigot_storage.h). */
#include "parigot_storage.h"

#include "parigot_pb.h"

#include <stdlib.h>
#include <string.h>

/* A LEN field costs at most a 1-byte tag (fields 1 and 2) and a 10-byte length varint. */
#define STORAGE_FIELD_OVERHEAD_BYTES 11u
/* Requests up to this size are built on the stack; larger ones cost one malloc. */
#define STORAGE_STACK_REQUEST_BYTES 512u

/* Calls method with {1: string key, 2: bytes value}; empty fields are left out, as proto3
 * does (so Read and Delete, with no value, send {1: key} and Sync sends nothing). */
static int64_t storage_call(const char *method, const char *key, const void *value,
                            size_t value_len, pg_result_fn cb, void *ctx) {
    size_t key_len = key != NULL ? strlen(key) : 0;
    size_t overhead = 2 * STORAGE_FIELD_OVERHEAD_BYTES;
    if (key_len > INT32_MAX - overhead || value_len > INT32_MAX - overhead - key_len) {
        return -PG_INVALID_ARGUMENT; /* longer than any i32 payload */
    }
    size_t cap = key_len + value_len + overhead;
    uint8_t stack_buf[STORAGE_STACK_REQUEST_BYTES];
    uint8_t *buf = cap <= sizeof stack_buf ? stack_buf : malloc(cap);
    if (buf == NULL) return -PG_RESOURCE_EXHAUSTED;
    pb_writer w;
    pb_writer_init(&w, buf, cap);
    pb_put_bytes(&w, 1, key, key_len);
    pb_put_bytes(&w, 2, value, value_len);
    int64_t call = pb_writer_ok(&w) ? pg_call(PG_STORAGE, method, buf, w.len, cb, ctx)
                                    : -PG_INTERNAL; /* cap is the worst case: cannot happen */
    if (buf != stack_buf) free(buf); /* pg_call has copied the payload */
    return call;
}

int64_t pg_storage_write(const char *key, const void *value, size_t len, pg_result_fn cb,
                         void *ctx) {
    return storage_call("Write", key, value, len, cb, ctx);
}

int64_t pg_storage_read(const char *key, pg_result_fn cb, void *ctx) {
    return storage_call("Read", key, NULL, 0, cb, ctx);
}

int64_t pg_storage_sync(pg_result_fn cb, void *ctx) {
    return storage_call("Sync", NULL, NULL, 0, cb, ctx);
}

int64_t pg_storage_delete(const char *key, pg_result_fn cb, void *ctx) {
    return storage_call("Delete", key, NULL, 0, cb, ctx);
}

int pg_storage_decode_read(const uint8_t *payload, size_t len, int *found,
                           const uint8_t **value, size_t *value_len) {
    *found = 0;
    *value = NULL;
    *value_len = 0;
    pb_reader r;
    pb_field f;
    int more;
    pb_reader_init(&r, payload, len);
    while ((more = pb_next_field(&r, &f)) == 1) {
        if (f.number == 1 && f.wire == PB_WIRE_VARINT) {
            *found = f.varint != 0; /* proto3 bool: any non-zero varint is true */
        } else if (f.number == 2 && f.wire == PB_WIRE_LEN) {
            *value = f.data_len > 0 ? f.data : NULL; /* the last occurrence wins */
            *value_len = f.data_len;
        }
    }
    if (more < 0) {
        *found = 0;
        *value = NULL;
        *value_len = 0;
        return -1;
    }
    return 0;
}
