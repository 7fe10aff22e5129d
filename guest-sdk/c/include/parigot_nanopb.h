/*
 * parigot_nanopb.h: what the generated service stubs (<file>.parigot.c, written by
 * tools/protoc-gen-parigot) share: nanopb encoding to a fresh buffer, decoding with an
 * error text, and the replies and log lines a failed encode or decode turns into.
 * Guest code calls the generated functions, not these. Built only with build-guest.sh --proto.
 */
#ifndef PARIGOT_NANOPB_H
#define PARIGOT_NANOPB_H

#include <parigot.h>
#include <pb.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Encodes msg into a malloc'd buffer. PG_OK: *out holds *out_len bytes (free it; NULL when
 * the message encodes to nothing). PG_INTERNAL: nanopb refused the message (a repeated
 * field's count over its max_count, a string without its NUL); the reason is logged.
 * PG_RESOURCE_EXHAUSTED: no memory. `what` names the message in the log line. */
int pg_nanopb_encode(const char *what, const pb_msgdesc_t *fields, const void *msg,
                     uint8_t **out, size_t *out_len);

/* Decodes len bytes into msg (set to its defaults first). 1 = ok; 0 = malformed or over a
 * bound of the .options file (a string over max_size, a repeated field over max_count): the
 * reason is logged at WARN, naming `what`. */
int pg_nanopb_decode(const char *what, const pb_msgdesc_t *fields, const uint8_t *buf,
                     size_t len, void *msg);

/* Encodes msg and answers the call with `status` (PG_OK, or an error that carries a reply)
 * and those bytes. If the encoding fails the call is answered PG_INTERNAL (or
 * PG_RESOURCE_EXHAUSTED) instead, so the caller is never left waiting. Returns the status
 * pg_reply returned, or the failure status. */
int pg_nanopb_reply(pg_call_id call, int status, const char *what, const pb_msgdesc_t *fields,
                    const void *msg);

/* Encodes req and sends it to `service`, or to its replica on `node` (service@node) when
 * node is not NULL, with pg_call (timeout_ns < 0) or pg_call_timeout. Returns the call id,
 * or minus a status (-13 if the request did not encode, -8 without memory). */
int64_t pg_nanopb_call(const char *service, const char *node, const char *method,
                       const char *what, const pb_msgdesc_t *fields, const void *req,
                       int64_t timeout_ns, pg_result_fn cb, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* PARIGOT_NANOPB_H */
