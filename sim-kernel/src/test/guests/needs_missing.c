/* Proves a require of a service no node exports fails boot naming that service. */
#include <parigot.h>

int service_start(void) {
    int status = pg_export("test.v1.Lonely");
    return status != PG_OK ? status : pg_require("nowhere.v1.Missing");
}
