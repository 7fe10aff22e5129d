/*
 * example.v1.Greeter: Hello{1: string user} -> {1: string text}. Looks the user's name up
 * in example.v1.Directory (Lookup{1: string user} -> {1: string name}) with a deadline of
 * 50 ms of virtual time, then answers "hello, <name>".
 */
#include <parigot.h>
#include <parigot_pb.h>
#include <stdio.h>
#include <stdlib.h>

#define GREETER "example.v1.Greeter"
#define DIRECTORY "example.v1.Directory"
#define LOOKUP_TIMEOUT_NS (50 * 1000 * 1000)

/* What a Hello in flight must remember until its Lookup result arrives. */
typedef struct {
    pg_call_id caller;
} hello;

static void looked_up(void *ctx, int status, const uint8_t *payload, size_t len) {
    hello *h = ctx; /* ours to free: we allocated it in say_hello */
    char name[64] = "stranger";
    if (status == PG_OK) {
        pb_reader r;
        pb_field f;
        pb_reader_init(&r, payload, len);
        while (pb_next_field(&r, &f) == 1) {
            if (f.number == 1 && pb_field_cstring(&f, name, sizeof name) < 0) {
                pg_reply(h->caller, PG_INTERNAL, NULL, 0);
                free(h);
                return;
            }
        }
    } else {
        pg_log(PG_LOG_WARN, "directory lookup failed with status %d", status);
    }
    char text[80];
    int text_len = snprintf(text, sizeof text, "hello, %s", name);
    uint8_t reply[96];
    pb_writer w;
    pb_writer_init(&w, reply, sizeof reply);
    pb_put_bytes(&w, 1, text, (size_t)text_len);
    pg_reply(h->caller, pb_writer_ok(&w) ? PG_OK : PG_INTERNAL, reply, w.len);
    free(h);
}

static void say_hello(pg_call_id call, const uint8_t *req, size_t len) {
    hello *h = malloc(sizeof *h);
    if (h == NULL) {
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return;
    }
    h->caller = call;
    /* HelloRequest and LookupRequest share their layout: forward the bytes. `req` is
     * freed when this handler returns, but pg_call has copied it by then. */
    int64_t id = pg_call_timeout(DIRECTORY, "Lookup", req, len, LOOKUP_TIMEOUT_NS, looked_up, h);
    if (id < 0) {
        pg_reply(call, (int)-id, NULL, 0);
        free(h);
    }
}

int service_start(void) {
    int status = pg_export(GREETER);
    if (status != PG_OK) return status;
    status = pg_require(DIRECTORY);
    if (status != PG_OK) return status;
    return pg_handle(GREETER, "Hello", say_hello);
}
