package dev.parigot.sim.faults;

import dev.parigot.sim.scheduler.ChoiceStream;
import java.time.Duration;

/** Small draws from the choice stream shared by the fault code: durations in a range. */
public final class Draw {
    private Draw() {
    }

    /** A duration in [min, max] in nanoseconds; choice 0 gives min. */
    public static long nanos(ChoiceStream choices, Duration min, Duration max) {
        long lo = min.toNanos();
        long span = max.toNanos() - lo;
        if (span <= 0) {
            return lo;
        }
        if (span < (1 << 30)) {
            return lo + choices.choose((int) span + 1);
        }
        long step = span / (1 << 30);
        return lo + (long) choices.choose(1 << 30) * step;
    }
}
