/*
 * Exercises the disk rules (docs/faults.md, "Storage is a disk"). test.v1.Disk, every request
 * "key=value" or "key" as plain bytes:
 *   WriteSync        Write, then Sync in the same handler; OK once the Sync answered
 *   WriteNoWait      Write; OK at once (nothing synced)
 *   WriteSyncNoWait  Write, then Sync in the same handler; OK at once, before the Sync answered
 *   Read             the value (OK), or NOT_FOUND
 *   Sync             Sync; OK once it answered
 */
#include <parigot.h>
#include <parigot_storage.h>
#include <string.h>

#define KEY_MAX 64

static char key_buf[KEY_MAX];

/* Splits "key=value" (or "key") into key_buf and the value bytes. */
static const uint8_t *split(const uint8_t *req, size_t len, size_t *value_len) {
    size_t k = 0;
    while (k < len && req[k] != '=' && k < KEY_MAX - 1) k++;
    memcpy(key_buf, req, k);
    key_buf[k] = 0;
    if (k < len && req[k] == '=') {
        *value_len = len - k - 1;
        return req + k + 1;
    }
    *value_len = 0;
    return req + len;
}

static void ignore(void *ctx, int status, const uint8_t *payload, size_t len) {
    (void)ctx, (void)status, (void)payload, (void)len;
}

/* Answers the call whose id travels in ctx with the storage call's status. */
static void answer(void *ctx, int status, const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    pg_reply((pg_call_id)(intptr_t)ctx, status, NULL, 0);
}

static void write_sync(pg_call_id call, const uint8_t *req, size_t len) {
    size_t value_len;
    const uint8_t *value = split(req, len, &value_len);
    pg_storage_write(key_buf, value, value_len, ignore, NULL);
    pg_storage_sync(answer, (void *)(intptr_t)call);
}

static void write_no_wait(pg_call_id call, const uint8_t *req, size_t len) {
    size_t value_len;
    const uint8_t *value = split(req, len, &value_len);
    pg_storage_write(key_buf, value, value_len, ignore, NULL);
    pg_reply(call, PG_OK, NULL, 0);
}

static void write_sync_no_wait(pg_call_id call, const uint8_t *req, size_t len) {
    size_t value_len;
    const uint8_t *value = split(req, len, &value_len);
    pg_storage_write(key_buf, value, value_len, ignore, NULL);
    pg_storage_sync(ignore, NULL);
    pg_reply(call, PG_OK, NULL, 0);
}

static void read_done(void *ctx, int status, const uint8_t *payload, size_t len) {
    pg_call_id call = (pg_call_id)(intptr_t)ctx;
    int found = 0;
    const uint8_t *value = NULL;
    size_t value_len = 0;
    if (status != PG_OK || pg_storage_decode_read(payload, len, &found, &value, &value_len) != 0) {
        pg_reply(call, status == PG_OK ? PG_INTERNAL : status, NULL, 0);
    } else if (!found) {
        pg_reply(call, PG_NOT_FOUND, NULL, 0);
    } else {
        pg_reply(call, PG_OK, value, value_len);
    }
}

static void read_key(pg_call_id call, const uint8_t *req, size_t len) {
    size_t value_len;
    split(req, len, &value_len);
    pg_storage_read(key_buf, read_done, (void *)(intptr_t)call);
}

static void sync_only(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    pg_storage_sync(answer, (void *)(intptr_t)call);
}

int service_start(void) {
    pg_handle("test.v1.Disk", "WriteSync", write_sync);
    pg_handle("test.v1.Disk", "WriteNoWait", write_no_wait);
    pg_handle("test.v1.Disk", "WriteSyncNoWait", write_sync_no_wait);
    pg_handle("test.v1.Disk", "Read", read_key);
    pg_handle("test.v1.Disk", "Sync", sync_only);
    pg_require(PG_STORAGE);
    return pg_export("test.v1.Disk");
}
