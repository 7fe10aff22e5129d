/* Proves WASI preview 1 is deterministic and isolated: environment, arguments, virtual
 * clocks, seeded entropy, stdio into the log, a sleep that does not sleep, proc_exit. */
#include <parigot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "testutil.h"

#define SERVICE "test.v1.Probe"

static const char *env_or_empty(const char *name) {
    const char *value = getenv(name);
    return value != NULL ? value : "";
}

static int64_t clock_ns(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) return -1;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void env(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    const char *node = env_or_empty("PARIGOT_NODE");
    const char *peers = env_or_empty("PEERS");
    size_t node_len = strlen(node), peers_len = strlen(peers);
    char *text = malloc(node_len + 1 + peers_len);
    if (text == NULL) {
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return;
    }
    memcpy(text, node, node_len);
    text[node_len] = '|';
    memcpy(text + node_len + 1, peers, peers_len);
    pg_reply(call, PG_OK, text, node_len + 1 + peers_len);
    free(text);
}

/* argv joined by single spaces, read through the raw WASI calls (a reactor has no main). */
static void args(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    __wasi_size_t argc = 0, buf_len = 0;
    if (__wasi_args_sizes_get(&argc, &buf_len) != 0) {
        pg_reply(call, PG_INTERNAL, NULL, 0);
        return;
    }
    uint8_t **argv = malloc((argc + 1) * sizeof *argv);
    uint8_t *buf = malloc(buf_len + 1);
    if (argv == NULL || buf == NULL || __wasi_args_get(argv, buf) != 0) {
        pg_reply(call, PG_INTERNAL, NULL, 0);
    } else {
        /* Each argument ends with a NUL in buf: turning those into spaces joins them. */
        size_t text_len = buf_len > 0 ? buf_len - 1 : 0;
        for (size_t i = 0; i < text_len; i++) {
            if (buf[i] == '\0') buf[i] = ' ';
        }
        pg_reply(call, PG_OK, buf, text_len);
    }
    free(argv);
    free(buf);
}

static void clock_monotonic(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    reply_i64(call, clock_ns(CLOCK_MONOTONIC));
}

static void clock_realtime(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    reply_i64(call, clock_ns(CLOCK_REALTIME));
}

static void random16(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    uint8_t bytes[16];
    if (getentropy(bytes, sizeof bytes) != 0) {
        pg_reply(call, PG_INTERNAL, NULL, 0);
        return;
    }
    pg_reply(call, PG_OK, bytes, sizeof bytes);
}

static void print(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    printf("hello from %s\n", env_or_empty("PARIGOT_NODE"));
    fflush(stdout);
    fprintf(stderr, "warned\n");
    pg_reply(call, PG_OK, NULL, 0);
}

static void sleep_one_second(pg_call_id call, const uint8_t *req, size_t len) {
    (void)req, (void)len;
    int64_t before = clock_ns(CLOCK_MONOTONIC);
    struct timespec second = {.tv_sec = 1, .tv_nsec = 0};
    nanosleep(&second, NULL);
    reply_i64(call, clock_ns(CLOCK_MONOTONIC) - before);
}

static void proc_exit(pg_call_id call, const uint8_t *req, size_t len) {
    (void)call, (void)req, (void)len;
    exit(5);
}

int service_start(void) {
    pg_handle(SERVICE, "Env", env);
    pg_handle(SERVICE, "Args", args);
    pg_handle(SERVICE, "Clock", clock_monotonic);
    pg_handle(SERVICE, "Realtime", clock_realtime);
    pg_handle(SERVICE, "Random", random16);
    pg_handle(SERVICE, "Print", print);
    pg_handle(SERVICE, "Sleep", sleep_one_second);
    pg_handle(SERVICE, "ProcExit", proc_exit);
    return pg_export(SERVICE);
}
