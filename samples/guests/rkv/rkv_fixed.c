/*
 * rkv, fixed: a write is answered for only after its Sync has answered, and after a restart
 * a node syncs what it read back before it serves any of it.
 */
#include "rkv_impl.h"
