/* tally: a stand-in for a third-party library with its own include/ directory. */
#ifndef TALLY_TALLY_H
#define TALLY_TALLY_H

#include <stdint.h>

#ifndef TALLY_NAME
#error "define TALLY_NAME (build-guest.sh -D 'TALLY_NAME=\"...\"')"
#endif
#ifndef TALLY_TWICE
#error "define the function-like macro TALLY_TWICE (build-guest.sh -D 'TALLY_TWICE(x)=((x) * 2)')"
#endif
_Static_assert(TALLY_TWICE(21) == 42, "TALLY_TWICE(x) doubles x");

typedef struct {
    int64_t total;
    int64_t count;
} tally;

void tally_add(tally *t, int64_t value);
int64_t tally_mean(const tally *t);

/* Where this header is: a path reaches the module, so the build must map it. */
static inline const char *tally_header_file(void) { return __FILE__; }
const char *tally_source_file(void);

#endif
