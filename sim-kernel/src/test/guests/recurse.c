/* Proves unbounded recursion traps (shadow stack below address 0, thanks to --stack-first)
 * instead of silently running over static data. */
#include <parigot.h>

#include "testutil.h"

static volatile int32_t depth_max = INT32_MAX; /* opaque bound: the recursion looks finite */

__attribute__((noinline)) static int32_t dive(int32_t depth) {
    volatile uint8_t frame[256]; /* live across the call: no tail call, a real stack frame */
    frame[depth & 255] = (uint8_t)depth;
    if (depth >= depth_max) return depth;
    return dive(depth + 1) + frame[(depth * 7) & 255];
}

static void deep(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    reply_i64(call, dive(0));
}

int service_start(void) {
    pg_handle("test.v1.Recurse", "Deep", deep);
    return pg_export("test.v1.Recurse");
}
