/*
 * parigot_storage.h: calls to the node's durable storage, parigot.storage.v1.Storage
 * (sim-kernel/src/main/proto/parigot/storage/v1/storage.proto), without hand-encoding its
 * messages.
 *
 * Each node has its own disk. Write and Delete are buffered: a Read of the same node sees
 * them at once, but they are durable only once a later Sync has completed; a crash loses,
 * keeps or tears each write not yet synced, as the seed decides. So acknowledge nothing
 * to your caller as durable before the Sync that follows it has answered PG_OK.
 *
 * A guest that uses these must pg_require(PG_STORAGE) in service_start. Every function is
 * a pg_call to PG_STORAGE: it returns the call id (> 0) or minus a status (-9 not
 * required, -8 call table full or out of memory, -3 a length that cannot be encoded), and
 * cb(ctx, status, payload, len) runs once with the result (cb == NULL: fire and forget).
 * The calls stay on the node, so the network neither drops nor delays them; with storage
 * faults on, they may still fail (PG_UNAVAILABLE) or a Read may return corrupted bytes.
 */
#ifndef PARIGOT_STORAGE_H
#define PARIGOT_STORAGE_H

#include "parigot.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PG_STORAGE "parigot.storage.v1.Storage"

/* Write{key, value}: buffers `len` bytes of `value` under the NUL-terminated `key`. The
 * request is built (and copied by the kernel) before this returns. Reply: no payload. */
int64_t pg_storage_write(const char *key, const void *value, size_t len, pg_result_fn cb,
                         void *ctx);

/* Read{key}: cb receives the raw ReadReply payload; decode it with pg_storage_decode_read.
 * The read sees this node's unsynced writes and deletes. */
int64_t pg_storage_read(const char *key, pg_result_fn cb, void *ctx);

/* Sync{}: makes every earlier Write and Delete of this node durable once it answers OK. */
int64_t pg_storage_sync(pg_result_fn cb, void *ctx);

/* Delete{key}: buffers the removal of `key` (durable after a later Sync). */
int64_t pg_storage_delete(const char *key, pg_result_fn cb, void *ctx);

/* Decodes a ReadReply{1: bool found, 2: bytes value}. On success returns 0 and sets *found
 * (0 or 1) and *value, *value_len (pointing into `payload`, so valid as long as it is;
 * NULL, 0 when there is no value). Returns -1 if the payload is malformed (then *found is
 * 0 and *value NULL). Fields it does not know, or of another wire type, are ignored. */
int pg_storage_decode_read(const uint8_t *payload, size_t len, int *found,
                           const uint8_t **value, size_t *value_len);

#ifdef __cplusplus
}
#endif

#endif /* PARIGOT_STORAGE_H */
