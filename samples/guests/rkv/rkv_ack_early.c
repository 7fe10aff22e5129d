/*
 * rkv with planted bug (a): a node counts a write as stored, and answers for it, as soon as
 * it has issued the record's Write and Sync, without waiting for the Sync's answer. The
 * backup's early OK lets the primary acknowledge the client while the record is still
 * unsynced; a crash of the backup then loses a write the client was told is durable.
 * (Production systems have shipped this as "ack on write, fsync in the background".)
 */
#define RKV_ACK_EARLY 1
#include "rkv_impl.h"
