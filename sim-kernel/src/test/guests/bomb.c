/* A memory bomb: takes memory until it is refused. Declares the largest memory a 32-bit module
 * can (4 GiB) so that only the node memory limit, or the JVM's heap, stops it.
 * parigot-build: max-memory=4294967296
 *
 *   Malloc  mallocs 1 MiB blocks until malloc returns NULL; replies with the MiB it got
 *   Touch   the same, writing a byte into every 4 KiB of each block
 *   Grow    raw memory.grow of one page until it returns -1; replies with the pages it got */
#include <parigot.h>
#include <stdlib.h>

#include "testutil.h"

#define BLOCK_BYTES (1024u * 1024u)

/* Every block stays reachable from here (a block nothing uses, the compiler may drop, and
 * assume malloc never fails). */
static void *volatile held;

static int64_t take(int touch) {
    int64_t blocks = 0;
    for (;;) {
        uint8_t *block = malloc(BLOCK_BYTES);
        if (block == NULL) return blocks;
        if (touch) {
            for (size_t i = 0; i < BLOCK_BYTES; i += 4096) ((volatile uint8_t *)block)[i] = (uint8_t)(i >> 12);
        }
        *(void **)block = held;
        held = block;
        blocks++;
    }
}

static void malloc_all(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    reply_i64(call, take(0));
}

static void touch_all(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    reply_i64(call, take(1));
}

static void grow_all(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    int64_t pages = 0;
    while (__builtin_wasm_memory_grow(0, 1) != (size_t)-1) pages++;
    reply_i64(call, pages);
}

int service_start(void) {
    pg_handle("test.v1.Bomb", "Malloc", malloc_all);
    pg_handle("test.v1.Bomb", "Touch", touch_all);
    pg_handle("test.v1.Bomb", "Grow", grow_all);
    return pg_export("test.v1.Bomb");
}
