/* parigot_pb.c: protobuf wire-format writer and reader (see include/parigot_pb.h). */
#include "parigot_pb.h"

#include <string.h>

#define PB_VARINT_BYTES_MAX 10

/* ---- writer ----------------------------------------------------------------------- */

void pb_writer_init(pb_writer *w, void *buf, size_t cap) {
    w->buf = buf;
    w->cap = buf != NULL ? cap : 0;
    w->len = 0;
    w->overflow = 0;
}

int pb_writer_ok(const pb_writer *w) { return !w->overflow; }

static void put_raw_varint(pb_writer *w, uint64_t v) {
    uint8_t tmp[PB_VARINT_BYTES_MAX];
    size_t n = 0;
    do {
        uint8_t byte = (uint8_t)(v & 0x7Fu);
        v >>= 7;
        tmp[n++] = v != 0 ? (uint8_t)(byte | 0x80u) : byte;
    } while (v != 0);
    if (w->overflow || n > w->cap - w->len) {
        w->overflow = 1;
        return;
    }
    memcpy(w->buf + w->len, tmp, n);
    w->len += n;
}

static void put_tag(pb_writer *w, uint32_t field, uint32_t wire) {
    if (field == 0 || field > PB_FIELD_NUMBER_MAX) {
        w->overflow = 1; /* not encodable: poison the message rather than emit garbage */
        return;
    }
    put_raw_varint(w, ((uint64_t)field << 3) | wire);
}

void pb_put_varint_field(pb_writer *w, uint32_t field, uint64_t v) {
    put_tag(w, field, PB_WIRE_VARINT);
    put_raw_varint(w, v);
}

void pb_put_int64(pb_writer *w, uint32_t field, int64_t v) {
    if (v == 0) return;
    pb_put_varint_field(w, field, (uint64_t)v);
}

void pb_put_string(pb_writer *w, uint32_t field, const char *s) {
    if (s == NULL) return;
    pb_put_bytes(w, field, s, strlen(s));
}

void pb_put_bytes(pb_writer *w, uint32_t field, const void *data, size_t len) {
    if (len == 0) return;
    put_tag(w, field, PB_WIRE_LEN);
    put_raw_varint(w, (uint64_t)len);
    if (w->overflow || len > w->cap - w->len) {
        w->overflow = 1;
        return;
    }
    memcpy(w->buf + w->len, data, len);
    w->len += len;
}

/* ---- reader ----------------------------------------------------------------------- */

void pb_reader_init(pb_reader *r, const void *buf, size_t len) {
    r->buf = buf;
    r->len = buf != NULL ? len : 0;
    r->pos = 0;
    r->error = 0;
}

/* Reads a varint at r->pos; 0 on success, -1 if truncated or longer than 10 bytes. */
static int get_varint(pb_reader *r, uint64_t *out) {
    uint64_t v = 0;
    for (unsigned i = 0; i < PB_VARINT_BYTES_MAX; i++) {
        if (r->pos >= r->len) return -1;
        uint8_t byte = r->buf[r->pos++];
        v |= (uint64_t)(byte & 0x7Fu) << (7u * i);
        if ((byte & 0x80u) == 0) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

static uint64_t get_fixed_le(const uint8_t *p, unsigned n) {
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v |= (uint64_t)p[i] << (8u * i);
    return v;
}

static int reader_fail(pb_reader *r) {
    r->error = 1;
    return -1;
}

int pb_next_field(pb_reader *r, pb_field *f) {
    if (r->error) return -1;
    if (r->pos >= r->len) return 0;
    uint64_t tag;
    if (get_varint(r, &tag) != 0) return reader_fail(r);
    uint64_t number = tag >> 3;
    if (number == 0 || number > PB_FIELD_NUMBER_MAX) return reader_fail(r);
    f->number = (uint32_t)number;
    f->wire = (uint32_t)(tag & 7u);
    f->varint = 0;
    f->data = NULL;
    f->data_len = 0;
    size_t remaining;
    switch (f->wire) {
    case PB_WIRE_VARINT:
        if (get_varint(r, &f->varint) != 0) return reader_fail(r);
        return 1;
    case PB_WIRE_FIXED64:
    case PB_WIRE_FIXED32: {
        unsigned n = f->wire == PB_WIRE_FIXED64 ? 8u : 4u;
        if (n > r->len - r->pos) return reader_fail(r);
        f->data = r->buf + r->pos;
        f->data_len = n;
        f->varint = get_fixed_le(f->data, n);
        r->pos += n;
        return 1;
    }
    case PB_WIRE_LEN: {
        uint64_t n;
        if (get_varint(r, &n) != 0) return reader_fail(r);
        remaining = r->len - r->pos;
        if (n > remaining) return reader_fail(r);
        f->data = r->buf + r->pos;
        f->data_len = (size_t)n;
        r->pos += (size_t)n;
        return 1;
    }
    default:
        return reader_fail(r);
    }
}

int64_t pb_field_int64(const pb_field *f) {
    return f->wire == PB_WIRE_VARINT ? (int64_t)f->varint : 0;
}

int pb_field_cstring(const pb_field *f, char *out, size_t cap) {
    if (cap == 0) return -1;
    out[0] = '\0';
    if (f->wire != PB_WIRE_LEN) return -1;
    if (f->data_len > cap - 1 || f->data_len > INT32_MAX) return -1;
    if (f->data_len > 0 && memchr(f->data, '\0', f->data_len) != NULL) return -1;
    memcpy(out, f->data, f->data_len);
    out[f->data_len] = '\0';
    return (int)f->data_len;
}
