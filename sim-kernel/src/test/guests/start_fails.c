/* Proves a non-zero parigot_start aborts boot (and the kernel reports the value, 7). */
#include <parigot.h>

int service_start(void) {
    pg_export("test.v1.StartFails");
    return 7;
}
