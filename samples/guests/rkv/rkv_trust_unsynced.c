/*
 * rkv with planted bug (b): after a restart, a node serves what it reads back from its log
 * at once, without syncing it first. Writes the previous incarnation issued but never
 * synced can still be readable after a process crash (they sat in the OS page cache), yet
 * they are not durable: a client sees them, and a second crash takes them away.
 */
#define RKV_TRUST_UNSYNCED 1
#include "rkv_impl.h"
