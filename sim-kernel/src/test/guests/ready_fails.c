/* Proves a non-zero parigot_ready fails boot, with no retry. */
#include <parigot.h>

int service_start(void) { return pg_export("test.v1.ReadyFails"); }

int service_ready(void) { return 1; }
