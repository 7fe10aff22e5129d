/*
 * lease.v1.LeaseServer: one lease of LEASE_NS by this server's own clock (pg_now_ns()).
 * Acquire{holder} grants the lease, or renews it, when it is free, expired or already held
 * by `holder`, and answers AcquireReply{holder, expires_ns, lease_ns}; otherwise it
 * answers FAILED_PRECONDITION with the same message about the current holder. expires_ns
 * is on the server's clock, which a worker does not share: a worker should count its lease
 * from when it sent the request, by its own clock. No bug is planted here, but the lease
 * lives in memory only: a server that crashed and restarted would grant it again at once.
 *
 * Limits: holders of 1..LEASE_HOLDER_BYTES_MAX bytes (else INVALID_ARGUMENT).
 */
#include <parigot.h>
#include <parigot_pb.h>
#include <string.h>

#define LEASE_SERVER "lease.v1.LeaseServer"
#define LEASE_NS (100 * 1000 * 1000)
#define LEASE_HOLDER_BYTES_MAX 64
/* holder (tag + length + 64 bytes) + two int64 fields (2 x (tag + 10-byte varint)) */
#define LEASE_REPLY_BYTES_MAX (LEASE_HOLDER_BYTES_MAX + 2 + 22)

static uint8_t holder[LEASE_HOLDER_BYTES_MAX];
static size_t holder_len; /* 0: nobody ever held the lease */
static int64_t expires_ns;

static void reply_lease(pg_call_id call, int status) {
    uint8_t buf[LEASE_REPLY_BYTES_MAX];
    pb_writer w;
    pb_writer_init(&w, buf, sizeof buf);
    pb_put_bytes(&w, 1, holder, holder_len);
    pb_put_int64(&w, 2, expires_ns);
    pb_put_int64(&w, 3, LEASE_NS);
    pg_reply(call, status, buf, w.len);
}

static void acquire(pg_call_id call, const uint8_t *req, size_t len) {
    const uint8_t *who = NULL;
    size_t who_len = 0;
    pb_reader r;
    pb_field f;
    int more;
    pb_reader_init(&r, req, len);
    while ((more = pb_next_field(&r, &f)) == 1) {
        if (f.number == 1 && f.wire == PB_WIRE_LEN) {
            who = f.data;
            who_len = f.data_len;
        }
    }
    if (more < 0 || who_len == 0 || who_len > LEASE_HOLDER_BYTES_MAX) {
        pg_log(PG_LOG_WARN, "lease: malformed Acquire request");
        pg_reply(call, PG_INVALID_ARGUMENT, NULL, 0);
        return;
    }
    int64_t now = pg_now_ns();
    int same = holder_len == who_len && memcmp(holder, who, who_len) == 0;
    if (holder_len != 0 && !same && now < expires_ns) {
        pg_log(PG_LOG_DEBUG, "acquire %.*s -> refused, held by %.*s until %lld", (int)who_len,
               (const char *)who, (int)holder_len, (const char *)holder, (long long)expires_ns);
        reply_lease(call, PG_FAILED_PRECONDITION);
        return;
    }
    pg_log(PG_LOG_DEBUG, "acquire %.*s -> granted until %lld (%s)", (int)who_len,
           (const char *)who, (long long)(now + LEASE_NS),
           holder_len == 0 ? "was free" : same ? "renewed" : "previous lease expired");
    memcpy(holder, who, who_len);
    holder_len = who_len;
    expires_ns = now + LEASE_NS;
    reply_lease(call, PG_OK);
}

int service_start(void) {
    pg_handle(LEASE_SERVER, "Acquire", acquire);
    return pg_export(LEASE_SERVER);
}
