/* What its boot reads decides whether a boot image may stand for it: BOOT_READS (an
 * environment variable) names what service_start reads and logs, "clock", "random", "argv"
 * or nothing. Probe/State replies with a counter this node's handlers raise, so a restored
 * instance shows it starts from the state the boot left, not from the image's later writes. */
#include <parigot.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wasi/api.h>

static int32_t counter;
static char boot_note[64];

static void state(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    counter++;
    int32_t values[2] = {counter, (int32_t)strlen(boot_note)};
    pg_reply(call, PG_OK, values, sizeof values);
}

int service_start(void) {
    const char *reads = getenv("BOOT_READS");
    counter = 100;
    if (reads != NULL && strcmp(reads, "clock") == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        counter += (int32_t)(ts.tv_nsec % 7);
    } else if (reads != NULL && strcmp(reads, "random") == 0) {
        uint8_t byte = 0;
        if (__wasi_random_get(&byte, 1) != 0) return 1;
        counter += byte % 7;
    } else if (reads != NULL && strcmp(reads, "argv") == 0) {
        __wasi_size_t argc = 0, size = 0;
        if (__wasi_args_sizes_get(&argc, &size) != 0) return 1;
        counter += (int32_t)size;
    }
    strncpy(boot_note, reads == NULL ? "" : reads, sizeof boot_note - 1);
    pg_log(PG_LOG_INFO, "booted reading %s, counter %d", reads == NULL ? "nothing" : reads, counter);
    pg_handle("test.v1.Probe", "State", state);
    return pg_export("test.v1.Probe");
}
