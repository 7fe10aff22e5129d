/* parigot_nanopb.c: the shared part of the generated service stubs (see parigot_nanopb.h). */
#include <parigot_nanopb.h>
#include <pb_decode.h>
#include <pb_encode.h>
#include <stdlib.h>
#include <string.h>

/* "<what>: <verb>: <reason>" through the raw log import: no printf pulled into the module. */
static void log_failure(int level, const char *what, const char *verb, const char *reason) {
    char line[256];
    size_t len = 0;
    const char *parts[] = {what, ": ", verb, ": ", reason};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t n = strlen(parts[i]);
        if (n > sizeof line - len) n = sizeof line - len;
        memcpy(line + len, parts[i], n);
        len += n;
    }
    pg_abi_log(level, line, (int32_t)len);
}

int pg_nanopb_encode(const char *what, const pb_msgdesc_t *fields, const void *msg,
                     uint8_t **out, size_t *out_len) {
    *out = NULL;
    *out_len = 0;
    pb_ostream_t sizing = PB_OSTREAM_SIZING;
    if (!pb_encode(&sizing, fields, msg)) {
        log_failure(PG_LOG_ERROR, what, "cannot encode", PB_GET_ERROR(&sizing));
        return PG_INTERNAL;
    }
    size_t size = sizing.bytes_written;
    if (size == 0) return PG_OK;
    uint8_t *buf = malloc(size);
    if (buf == NULL) return PG_RESOURCE_EXHAUSTED;
    pb_ostream_t stream = pb_ostream_from_buffer(buf, size);
    if (!pb_encode(&stream, fields, msg)) {
        log_failure(PG_LOG_ERROR, what, "cannot encode", PB_GET_ERROR(&stream));
        free(buf);
        return PG_INTERNAL;
    }
    *out = buf;
    *out_len = stream.bytes_written;
    return PG_OK;
}

int pg_nanopb_decode(const char *what, const pb_msgdesc_t *fields, const uint8_t *buf,
                     size_t len, void *msg) {
    pb_istream_t stream = pb_istream_from_buffer(buf, len);
    if (pb_decode(&stream, fields, msg)) return 1;
    log_failure(PG_LOG_WARN, what, "cannot decode", PB_GET_ERROR(&stream));
    return 0;
}

int pg_nanopb_reply(pg_call_id call, int status, const char *what, const pb_msgdesc_t *fields,
                    const void *msg) {
    uint8_t *buf;
    size_t len;
    int encoded = pg_nanopb_encode(what, fields, msg, &buf, &len);
    if (encoded != PG_OK) {
        pg_reply(call, encoded, NULL, 0);
        return encoded;
    }
    status = pg_reply(call, status, buf, len);
    free(buf);
    return status;
}

/* service@node in a malloc'd string, or NULL without memory. */
static char *address(const char *service, const char *node) {
    size_t service_len = strlen(service), node_len = strlen(node);
    char *at = malloc(service_len + 1 + node_len + 1);
    if (at == NULL) return NULL;
    memcpy(at, service, service_len);
    at[service_len] = '@';
    memcpy(at + service_len + 1, node, node_len + 1);
    return at;
}

int64_t pg_nanopb_call(const char *service, const char *node, const char *method,
                       const char *what, const pb_msgdesc_t *fields, const void *req,
                       int64_t timeout_ns, pg_result_fn cb, void *ctx) {
    char *target = node != NULL ? address(service, node) : NULL;
    if (node != NULL && target == NULL) return -PG_RESOURCE_EXHAUSTED;
    uint8_t *buf;
    size_t len;
    int status = pg_nanopb_encode(what, fields, req, &buf, &len);
    int64_t id = -status;
    if (status == PG_OK) {
        const char *to = target != NULL ? target : service;
        id = timeout_ns < 0 ? pg_call(to, method, buf, len, cb, ctx)
                            : pg_call_timeout(to, method, buf, len, timeout_ns, cb, ctx);
    }
    free(buf);
    free(target);
    return id;
}
