#include <tally/tally.h>

#ifndef TALLY_FROM_CFLAGS
#error "CFLAGS did not reach the compiler"
#endif
#ifndef __OPTIMIZE_SIZE__
#error "CFLAGS=-Os did not win over the script's -O2"
#endif

void tally_add(tally *t, int64_t value) {
    t->total += value;
    t->count++;
}

int64_t tally_mean(const tally *t) { return t->count == 0 ? 0 : t->total / t->count; }

const char *tally_source_file(void) { return __FILE__; }
