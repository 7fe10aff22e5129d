/* With cycle_a/b/c: proves a require cycle A -> B -> C -> A fails boot naming the path. */
#include <parigot.h>

int service_start(void) {
    int status = pg_export("cycle.v1.B");
    return status != PG_OK ? status : pg_require("cycle.v1.C");
}
