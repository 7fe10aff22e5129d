/* Proves the node's memory maximum holds: malloc runs dry (then abort traps), and raw
 * memory.grow returns -1 at the limit instead of exhausting the host. */
#include <parigot.h>
#include <stdlib.h>

#include "testutil.h"

#define BLOCK_BYTES (1024u * 1024u)
#define PAGE_BYTES 65536u

static void eat(pg_call_id call, const uint8_t *req, size_t len) {
    (void)call, (void)req, (void)len;
    for (;;) {
        volatile uint8_t *block = malloc(BLOCK_BYTES);
        if (block == NULL) abort();
        for (size_t i = 0; i < BLOCK_BYTES; i += PAGE_BYTES) block[i] = 1; /* touch it */
    }
}

static void grow_raw(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    int64_t pages = 0;
    while (__builtin_wasm_memory_grow(0, 1) != (size_t)-1) pages++;
    reply_i64(call, pages);
}

int service_start(void) {
    pg_handle("test.v1.Grow", "Eat", eat);
    pg_handle("test.v1.Grow", "GrowRaw", grow_raw);
    return pg_export("test.v1.Grow");
}
