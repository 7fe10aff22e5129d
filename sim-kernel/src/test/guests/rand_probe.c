/* Proves that the SDK seeds libc rand() per node: Draw replies with the value rand() gave in
 * service_start (libc's default sequence: the seeding happens later, in parigot_ready) and
 * the next four values, as little-endian int32s. */
#include <parigot.h>
#include <stdlib.h>

static int32_t drawn_in_start;

static void draw(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    int32_t values[5] = {drawn_in_start};
    for (int i = 1; i < 5; i++) values[i] = rand();
    pg_reply(call, PG_OK, values, sizeof values); /* wasm32 is little-endian */
}

int service_start(void) {
    drawn_in_start = rand();
    pg_handle("test.v1.Rand", "Draw", draw);
    return pg_export("test.v1.Rand");
}
