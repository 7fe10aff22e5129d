/* Shared by the kernel's test guests: results travel as an 8-byte little-endian int64. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <parigot.h>

static inline int reply_i64(pg_call_id call, int64_t value) {
    uint8_t bytes[8];
    for (int i = 0; i < 8; i++) bytes[i] = (uint8_t)((uint64_t)value >> (8 * i));
    return pg_reply(call, PG_OK, bytes, sizeof bytes);
}

#endif
