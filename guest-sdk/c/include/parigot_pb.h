/*
 * parigot_pb.h: just enough protobuf wire format for proto3 int64 / string / bytes fields.
 *
 * Writer: appends fields to a caller buffer; on overflow it stops writing, remembers the
 * overflow, and every later put is a no-op, so a sequence of puts needs one check at the
 * end (pb_writer_ok). Values equal to the proto3 default (0, empty) are not written, as
 * protobuf-java does, so both encode a message to the same bytes.
 *
 * Reader: pb_next_field walks a message field by field, bounds-checked: malformed input
 * ends the walk with an error, never a read outside [buf, buf + len). Fields the caller
 * does not know are simply not acted upon (their content has already been skipped).
 */
#ifndef PARIGOT_PB_H
#define PARIGOT_PB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Wire types. Groups (3, 4) are rejected as malformed: proto3 has none. */
enum {
    PB_WIRE_VARINT = 0,
    PB_WIRE_FIXED64 = 1,
    PB_WIRE_LEN = 2,
    PB_WIRE_FIXED32 = 5,
};

#define PB_FIELD_NUMBER_MAX 536870911u /* 2^29 - 1 */

typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t len;    /* bytes written so far */
    int overflow;  /* 1 once a put did not fit (or a field number was invalid) */
} pb_writer;

void pb_writer_init(pb_writer *w, void *buf, size_t cap);
/* 1 if every put so far fitted; then w->len bytes of w->buf are the message. */
int pb_writer_ok(const pb_writer *w);

/* A varint field written even when v == 0 (the raw building block). */
void pb_put_varint_field(pb_writer *w, uint32_t field, uint64_t v);
/* proto3 int64: omitted when 0; negative values take 10 bytes, as in protobuf. */
void pb_put_int64(pb_writer *w, uint32_t field, int64_t v);
/* proto3 string from a NUL-terminated C string (NULL = empty): omitted when empty. */
void pb_put_string(pb_writer *w, uint32_t field, const char *s);
/* proto3 bytes (or a string given as ptr+len): omitted when len == 0. */
void pb_put_bytes(pb_writer *w, uint32_t field, const void *data, size_t len);

typedef struct {
    const uint8_t *buf;
    size_t len;
    size_t pos;
    int error; /* 1 once the input was found malformed; pb_next_field then returns -1 */
} pb_reader;

typedef struct {
    uint32_t number;     /* field number, >= 1 */
    uint32_t wire;       /* PB_WIRE_* */
    uint64_t varint;     /* the value for VARINT, FIXED64 and FIXED32 fields */
    const uint8_t *data; /* LEN fields: the content (inside the reader's buffer) */
    size_t data_len;
} pb_field;

void pb_reader_init(pb_reader *r, const void *buf, size_t len);
/* 1 = *f holds the next field; 0 = end of message; -1 = malformed input (truncated
 * varint or length, a varint over 10 bytes, field number 0, a group or unknown wire type). */
int pb_next_field(pb_reader *r, pb_field *f);

/* Typed views of a field; each returns 0 (default) if the wire type does not match. */
int64_t pb_field_int64(const pb_field *f);
/* Copies a LEN field into out as a NUL-terminated string. Returns the length, or -1 if it
 * is not a LEN field, does not fit in cap - 1 bytes or contains a NUL byte (out is then
 * the empty string, if cap > 0). */
int pb_field_cstring(const pb_field *f, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* PARIGOT_PB_H */
