/* Proves a trap crashes the node and is reported with names from the `name` section. */
#include <parigot.h>

static volatile int explosions; /* a side effect, so the chain is not folded away */

__attribute__((noinline)) static void explode_ledger(void) {
    explosions++;
    __builtin_trap();
}

__attribute__((noinline)) static void handle_boom(pg_call_id call, const uint8_t *req,
                                                  size_t len) {
    (void)call, (void)req, (void)len;
    explode_ledger();
    explosions--; /* not reached; keeps the call from being a tail position */
}

int service_start(void) {
    pg_handle("test.v1.Trap", "Boom", handle_boom);
    return pg_export("test.v1.Trap");
}
