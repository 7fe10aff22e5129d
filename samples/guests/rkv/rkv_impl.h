/*
 * rkv: a primary-backup key-value store (rkv.v1.Store, rkv.v1.Replica in
 * samples/src/main/proto/rkv/v1/rkv.proto, on nanopb messages and the generated stubs) on the
 * kernel's durable storage, written once for three variants. Each variant is a tiny .c file
 * that defines at most one switch and includes this file:
 *
 *   RKV_ACK_EARLY       rkv_ack_early.c       bug (a): a write counts as stored once its
 *                                             Write and Sync are issued, not answered
 *   RKV_TRUST_UNSYNCED  rkv_trust_unsynced.c  bug (b): after a restart it serves what it
 *                                             read back from disk without syncing it first
 *   (neither)           rkv_fixed.c           both repaired
 *
 * Two nodes of this one module: RKV_ROLE=primary or backup, RKV_PEER = the other node's
 * name (WASI environment, given by the test). Both export Store and Replica and require
 * Replica (peers, addressed as rkv.v1.Replica@<peer>) and the node's storage.
 *
 * Protocol. The primary takes Put{key, version, value}. Versions of a key only grow (one
 * writer per key, which retries a version until it is acknowledged), so a retried,
 * duplicated or late request is harmless: a node stores a version only if it is newer than
 * the one it has. A Put is stored on the primary, then sent to the backup as Apply (the
 * same bytes, with a deadline); the primary answers OK only once the backup answered OK,
 * else UNAVAILABLE. So an acknowledged write is on both disks. Both nodes answer Get from
 * what they have stored, so either may serve reads (the backup's are follower reads: never
 * older than an acknowledged write, never older than what it served before).
 *
 * Disk layout: an append-only log, one record per stored version in storage keys
 * "log/0", "log/1", ... A record is
 *   "RKV1" | key length (u8) | key | version (u64 LE) | value length (u16 LE) | value |
 *   FNV-1a 32 of everything before it (u32 LE)
 * so a torn record (a prefix) or a corrupted read is detected. Records are never
 * overwritten while they matter: a slot is rewritten only past the end of the valid log.
 *
 * Stores and applies run one at a time from a FIFO queue (RKV_QUEUE_MAX): each appends a
 * record, then (in the fixed variants) Write -> answer -> Sync -> answer, and only then
 * does the version enter the in-memory table that Get and the "already stored?" test read.
 * The table therefore holds only durable versions.
 *
 * Recovery (parigot_ready, at boot and after every restart): read log/0, log/1, ... until
 * a slot is missing or invalid (after RKV_READ_ATTEMPTS tries: a read may fail or come back
 * corrupted), taking the newest version of each key. Then Sync, and only once that Sync
 * has answered start serving (until then every call is answered UNAVAILABLE). Why: after a
 * process crash, writes that were never synced may still be readable (the OS page cache
 * kept them, or the disk's write cache did), but they are not durable until something
 * syncs them. A node that serves them at once lets a client see a value that a second
 * crash (a power loss) takes away again. PostgreSQL's crash recovery fsyncs the whole data
 * directory before replaying for this reason.
 *
 * Limits: keys of 1..RKV_KEY_BYTES_MAX bytes, values up to RKV_VALUE_BYTES_MAX bytes (both
 * set by rkv.options), versions >= 1 (else INVALID_ARGUMENT); RKV_KEYS_MAX keys
 * (then RESOURCE_EXHAUSTED); RKV_QUEUE_MAX queued writes (then RESOURCE_EXHAUSTED).
 */
#ifndef RKV_IMPL_H
#define RKV_IMPL_H

#if defined(RKV_ACK_EARLY) && defined(RKV_TRUST_UNSYNCED)
#error "one planted bug per variant"
#endif

#include "rkv.parigot.h"
#include <parigot_storage.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RKV_KEYS_MAX 64
#define RKV_KEY_BYTES_MAX (sizeof ((rkv_v1_PutRequest *)0)->key - 1)      /* rkv.options */
#define RKV_VALUE_BYTES_MAX sizeof ((rkv_v1_PutRequest *)0)->value.bytes /* rkv.options */
_Static_assert(sizeof ((rkv_v1_ApplyRequest *)0)->key == RKV_KEY_BYTES_MAX + 1 &&
                   sizeof ((rkv_v1_ApplyRequest *)0)->value.bytes == RKV_VALUE_BYTES_MAX &&
                   sizeof ((rkv_v1_GetReply *)0)->value.bytes == RKV_VALUE_BYTES_MAX,
               "one bound for every key and value of rkv.options");
#define RKV_QUEUE_MAX 64
#define RKV_NODE_BYTES_MAX 64
#define RKV_APPLY_TIMEOUT_NS (20 * 1000 * 1000)
#define RKV_READ_ATTEMPTS 4
/* magic, key length, key, version, value length, value, checksum */
#define RKV_RECORD_BYTES_MAX (4 + 1 + RKV_KEY_BYTES_MAX + 8 + 2 + RKV_VALUE_BYTES_MAX + 4)

enum { OP_PUT, OP_APPLY };

/* One version of one key: a table entry, a queued write, or a decoded record. */
typedef struct {
    char key[RKV_KEY_BYTES_MAX + 1];
    int64_t version;
    uint8_t value[RKV_VALUE_BYTES_MAX];
    size_t value_len;
} rkv_entry;

/* A Put (primary) or Apply (backup) waiting in the queue or being stored. */
typedef struct {
    pg_call_id caller;
    int kind;
    rkv_entry e;
    int64_t slot; /* the log slot its record went to */
} rkv_op;

static char node[RKV_NODE_BYTES_MAX + 1];
static int primary;
static char peer[RKV_NODE_BYTES_MAX + 1]; /* its Replica is rkv.v1.Replica@<peer> */

static rkv_entry table[RKV_KEYS_MAX]; /* what this node has stored (durably, when fixed) */
static size_t table_len;
static int serving;       /* 0 while recovering: every call is answered UNAVAILABLE */
static int64_t log_next;  /* the slot the next record goes to */

static rkv_op queue[RKV_QUEUE_MAX]; /* a ring; queue[queue_head] is the op being stored */
static size_t queue_head, queue_len;
static int busy;    /* the op at the head is being stored or replicated */
static int pumping; /* pump() is on the stack */

static void pump(void);

/* ---- table -------------------------------------------------------------------------- */

static rkv_entry *table_find(const char *key) {
    for (size_t i = 0; i < table_len; i++) {
        if (strcmp(table[i].key, key) == 0) return &table[i];
    }
    return NULL;
}

/* Takes `e` if it is newer than what the table has. 0, or -1 if the table is full. */
static int table_put(const rkv_entry *e) {
    rkv_entry *t = table_find(e->key);
    if (t == NULL) {
        if (table_len == RKV_KEYS_MAX) return -1;
        t = &table[table_len++];
        *t = (rkv_entry){0};
        strcpy(t->key, e->key);
    }
    if (e->version > t->version) *t = *e;
    return 0;
}

/* ---- records ------------------------------------------------------------------------ */

static uint32_t fnv1a(const uint8_t *p, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

static size_t record_encode(const rkv_entry *e, uint8_t *out) {
    size_t n = 0;
    size_t key_len = strlen(e->key);
    memcpy(out, "RKV1", 4);
    n = 4;
    out[n++] = (uint8_t)key_len;
    memcpy(out + n, e->key, key_len);
    n += key_len;
    for (int i = 0; i < 8; i++) out[n++] = (uint8_t)((uint64_t)e->version >> (8 * i));
    out[n++] = (uint8_t)e->value_len;
    out[n++] = (uint8_t)(e->value_len >> 8);
    memcpy(out + n, e->value, e->value_len);
    n += e->value_len;
    uint32_t h = fnv1a(out, n);
    for (int i = 0; i < 4; i++) out[n++] = (uint8_t)(h >> (8 * i));
    return n;
}

/* 0 and *e filled if `p` holds exactly one valid record; -1 if torn, corrupted or foreign. */
static int record_decode(const uint8_t *p, size_t len, rkv_entry *e) {
    if (len < 4 + 1 + 8 + 2 + 4 || memcmp(p, "RKV1", 4) != 0) return -1;
    size_t n = 4;
    size_t key_len = p[n++];
    if (key_len == 0 || key_len > RKV_KEY_BYTES_MAX || len < n + key_len + 8 + 2 + 4) return -1;
    memcpy(e->key, p + n, key_len);
    e->key[key_len] = '\0';
    if (strlen(e->key) != key_len) return -1;
    n += key_len;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[n++] << (8 * i);
    e->version = (int64_t)v;
    e->value_len = (size_t)p[n] | (size_t)p[n + 1] << 8;
    n += 2;
    if (e->version < 1 || e->value_len > RKV_VALUE_BYTES_MAX || len != n + e->value_len + 4) return -1;
    memcpy(e->value, p + n, e->value_len);
    n += e->value_len;
    uint32_t h = (uint32_t)p[n] | (uint32_t)p[n + 1] << 8 | (uint32_t)p[n + 2] << 16 |
                 (uint32_t)p[n + 3] << 24;
    return h == fnv1a(p, n) ? 0 : -1;
}

static void slot_name(int64_t slot, char *out, size_t cap) {
    snprintf(out, cap, "log/%lld", (long long)slot);
}

/* ---- requests and replies ----------------------------------------------------------- */

/* The entry of a PutRequest or ApplyRequest (the same fields): PG_OK, or
 * PG_INVALID_ARGUMENT for an empty key or a version below 1. */
static int entry_from(const char *key, int64_t version, const pb_byte_t *value,
                      size_t value_len, rkv_entry *e) {
    *e = (rkv_entry){.version = version, .value_len = value_len};
    if (key[0] == '\0' || version < 1) return PG_INVALID_ARGUMENT;
    strcpy(e->key, key); /* the same max_size bounds both */
    memcpy(e->value, value, value_len);
    return PG_OK;
}

static void reply_status(pg_call_id call, int status) { pg_reply(call, status, NULL, 0); }

/* ---- the write path: queue, store, replicate ---------------------------------------- */

/* Answers the op at the head of the queue, drops it and starts the next. */
static void op_finish(int status) {
    rkv_op *op = &queue[queue_head];
    reply_status(op->caller, status);
    queue_head = (queue_head + 1) % RKV_QUEUE_MAX;
    queue_len--;
    busy = 0;
    pump();
}

static void applied(void *ctx, int status, const rkv_v1_ApplyReply *reply) {
    (void)ctx, (void)reply;
    rkv_op *op = &queue[queue_head];
    if (status != PG_OK) {
        pg_log(PG_LOG_DEBUG, "%s: Apply %s v%lld on the backup: status %d", node, op->e.key,
               (long long)op->e.version, status);
    }
    op_finish(status == PG_OK ? PG_OK : PG_UNAVAILABLE);
}

/* The op's version is stored here (or was already): the backup acknowledges, the primary
 * replicates first. */
static void op_stored(void) {
    rkv_op *op = &queue[queue_head];
    if (op->kind == OP_APPLY) {
        op_finish(PG_OK);
        return;
    }
    rkv_v1_ApplyRequest apply = {.version = op->e.version, .value.size = op->e.value_len};
    strcpy(apply.key, op->e.key);
    memcpy(apply.value.bytes, op->e.value, op->e.value_len);
    int64_t id = rkv_v1_Replica_Apply_call_timeout_at(peer, &apply, RKV_APPLY_TIMEOUT_NS, applied,
                                                      NULL);
    if (id < 0) op_finish(PG_UNAVAILABLE);
}

/* The record's storage failed: the slot is free again (ops run one at a time). */
static void op_store_failed(int status) {
    rkv_op *op = &queue[queue_head];
    pg_log(PG_LOG_WARN, "%s: storing %s v%lld failed: status %d", node, op->e.key,
           (long long)op->e.version, status);
    log_next = op->slot;
    op_finish(PG_UNAVAILABLE);
}

#ifndef RKV_ACK_EARLY
static void record_synced(void *ctx, int status, const uint8_t *payload, size_t len) {
    (void)ctx, (void)payload, (void)len;
    if (status != PG_OK) {
        op_store_failed(status);
        return;
    }
    /* Durable now: from here on the version may be served and counted as stored. */
    table_put(&queue[queue_head].e);
    op_stored();
}

static void record_written(void *ctx, int status, const uint8_t *payload, size_t len) {
    (void)ctx, (void)payload, (void)len;
    if (status != PG_OK) {
        op_store_failed(status);
        return;
    }
    int64_t id = pg_storage_sync(record_synced, NULL);
    if (id < 0) op_store_failed((int)-id);
}
#endif

/* Appends the head op's record to the log. */
static void op_store(void) {
    rkv_op *op = &queue[queue_head];
    uint8_t rec[RKV_RECORD_BYTES_MAX];
    size_t rec_len = record_encode(&op->e, rec);
    char slot[32];
    op->slot = log_next++;
    slot_name(op->slot, slot, sizeof slot);
#ifdef RKV_ACK_EARLY
    /* THE BUG (a): Write and Sync are issued back to back and the version counts as stored
     * at once, so the caller is answered (and the backup's OK reaches the primary, which
     * acknowledges the client) before the Sync has answered. A crash in between loses the
     * record, or tears it, and with it a write the client was told is durable. */
    int64_t w = pg_storage_write(slot, rec, rec_len, NULL, NULL);
    int64_t s = w > 0 ? pg_storage_sync(NULL, NULL) : w;
    if (s < 0) {
        op_store_failed((int)-s);
        return;
    }
    table_put(&op->e);
    op_stored();
#else
    /* Fixed: Write, its answer, Sync, its answer; only then is the version stored. */
    int64_t w = pg_storage_write(slot, rec, rec_len, record_written, NULL);
    if (w < 0) op_store_failed((int)-w);
#endif
}

static void op_start(void) {
    rkv_op *op = &queue[queue_head];
    rkv_entry *have = table_find(op->e.key);
    if (have != NULL && have->version >= op->e.version) {
        op_stored(); /* a retry, a duplicate or a late request: stored already */
    } else if (have == NULL && table_len == RKV_KEYS_MAX) {
        op_finish(PG_RESOURCE_EXHAUSTED);
    } else {
        op_store();
    }
}

/* Starts queued ops one at a time; re-entrant calls (an op finishing at once) return and
 * let the outer loop go on. */
static void pump(void) {
    if (pumping) return;
    pumping = 1;
    while (serving && !busy && queue_len > 0) {
        busy = 1;
        op_start();
    }
    pumping = 0;
}

/* Queues the write of (key, version, value), one PutRequest or ApplyRequest. */
static void enqueue(pg_call_id call, int kind, const char *key, int64_t version,
                    const pb_byte_t *value, size_t value_len) {
    if (!serving) {
        reply_status(call, PG_UNAVAILABLE);
        return;
    }
    if (queue_len == RKV_QUEUE_MAX) {
        reply_status(call, PG_RESOURCE_EXHAUSTED);
        return;
    }
    rkv_op *op = &queue[(queue_head + queue_len) % RKV_QUEUE_MAX];
    int status = entry_from(key, version, value, value_len, &op->e);
    if (status != PG_OK) {
        reply_status(call, status);
        return;
    }
    op->caller = call;
    op->kind = kind;
    queue_len++;
    pump();
}

static void put(pg_call_id call, const rkv_v1_PutRequest *req) {
    if (!primary) {
        reply_status(call, PG_FAILED_PRECONDITION);
        return;
    }
    enqueue(call, OP_PUT, req->key, req->version, req->value.bytes, req->value.size);
}

static void apply(pg_call_id call, const rkv_v1_ApplyRequest *req) {
    if (primary) {
        reply_status(call, PG_FAILED_PRECONDITION);
        return;
    }
    enqueue(call, OP_APPLY, req->key, req->version, req->value.bytes, req->value.size);
}

static void get(pg_call_id call, const rkv_v1_GetRequest *req) {
    if (!serving) {
        reply_status(call, PG_UNAVAILABLE);
        return;
    }
    if (req->key[0] == '\0') {
        reply_status(call, PG_INVALID_ARGUMENT);
        return;
    }
    const rkv_entry *e = table_find(req->key);
    rkv_v1_GetReply reply = rkv_v1_GetReply_init_zero;
    if (e != NULL && e->version > 0) {
        reply.found = true;
        reply.version = e->version;
        reply.value.size = (pb_size_t)e->value_len;
        memcpy(reply.value.bytes, e->value, e->value_len);
    }
    rkv_v1_Store_Get_reply(call, &reply);
}

/* ---- recovery ----------------------------------------------------------------------- */

static int read_attempts; /* tries of the slot being read */

static void read_slot(void);

static void start_serving(void) {
    pg_log(PG_LOG_INFO, "%s: serving %zu keys, log ends at slot %lld", node, table_len,
           (long long)log_next);
    serving = 1;
    pump();
}

#ifndef RKV_TRUST_UNSYNCED
static void recovery_synced(void *ctx, int status, const uint8_t *payload, size_t len) {
    (void)ctx, (void)payload, (void)len;
    if (status != PG_OK) {
        pg_log(PG_LOG_WARN, "%s: recovery Sync failed: status %d; again", node, status);
        if (pg_storage_sync(recovery_synced, NULL) < 0) pg_exit(1);
        return;
    }
    start_serving();
}
#endif

/* The valid log ends before slot log_next. */
static void log_read(void) {
#ifdef RKV_TRUST_UNSYNCED
    /* THE BUG (b): what was just read is served at once. Some of it may be writes the
     * previous incarnation issued and never synced: readable now, not durable, and a second
     * crash can take them away after a client has seen them (or after the primary, finding
     * a retried Put "already stored", acknowledged it without storing it again). */
    start_serving();
#else
    /* Fixed: make everything read durable before serving any of it. */
    if (pg_storage_sync(recovery_synced, NULL) < 0) pg_exit(1);
#endif
}

static void slot_read(void *ctx, int status, const uint8_t *payload, size_t len) {
    (void)ctx;
    int found = 0;
    const uint8_t *value = NULL;
    size_t value_len = 0;
    rkv_entry e;
    int ok = status == PG_OK && pg_storage_decode_read(payload, len, &found, &value, &value_len) == 0;
    if (ok && !found) {
        log_read();
        return;
    }
    if (!ok || record_decode(value, value_len, &e) != 0) {
        /* A failed or corrupted read is tried again; a record that stays invalid is torn:
         * the log ends there. */
        if (++read_attempts < RKV_READ_ATTEMPTS) {
            read_slot();
        } else {
            pg_log(PG_LOG_DEBUG, "%s: slot %lld is torn or unreadable: the log ends there", node,
                   (long long)log_next);
            log_read();
        }
        return;
    }
    if (table_put(&e) != 0) {
        pg_log(PG_LOG_WARN, "%s: more than %d keys in the log; %s left out", node, RKV_KEYS_MAX, e.key);
    }
    log_next++;
    read_attempts = 0;
    read_slot();
}

static void read_slot(void) {
    char slot[32];
    slot_name(log_next, slot, sizeof slot);
    if (pg_storage_read(slot, slot_read, NULL) < 0) pg_exit(1);
}

/* ---- boot --------------------------------------------------------------------------- */

int service_start(void) {
    static const rkv_v1_Store_handlers store = {.Put = put, .Get = get};
    static const rkv_v1_Replica_handlers replica = {.Apply = apply};
    int s;
    if ((s = rkv_v1_Store_register(&store)) != PG_OK) return s;
    if ((s = rkv_v1_Replica_register(&replica)) != PG_OK) return s;
    if ((s = rkv_v1_Replica_require()) != PG_OK) return s; /* its peer's */
    return pg_require(PG_STORAGE);
}

/* Role and peer are read here, not in service_start: declarations must not depend on them. */
int service_ready(void) {
    const char *name = getenv("PARIGOT_NODE");
    const char *role = getenv("RKV_ROLE");
    const char *peer_name = getenv("RKV_PEER");
    if (name == NULL || role == NULL || peer_name == NULL || strlen(name) > RKV_NODE_BYTES_MAX ||
        strlen(peer_name) > RKV_NODE_BYTES_MAX) {
        pg_log(PG_LOG_ERROR, "rkv: needs PARIGOT_NODE, RKV_ROLE and RKV_PEER (names up to %d bytes)",
               RKV_NODE_BYTES_MAX);
        return 1;
    }
    if (strcmp(role, "primary") == 0) {
        primary = 1;
    } else if (strcmp(role, "backup") != 0) {
        pg_log(PG_LOG_ERROR, "rkv: RKV_ROLE is '%s', not primary or backup", role);
        return 1;
    }
    strcpy(node, name);
    strcpy(peer, peer_name);
    read_slot(); /* recovery; serving starts when it ends */
    return 0;
}

#endif /* RKV_IMPL_H */
