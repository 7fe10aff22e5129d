package dev.parigot.sim.kernel;

import dev.parigot.sim.faults.TimeText;
/**
 * One line of a world's unified log: virtual time, node, level and text.
 *
 * @param timeNanos the world's virtual time when the line was written, in nanoseconds
 * @param node the node that wrote it ("kernel" for the kernel's own lines)
 * @param level its level
 * @param text the line, without a trailing newline
 */
public record LogLine(long timeNanos, String node, Level level, String text) {

    /**
     * A log line's level, from the most verbose to the most severe: TRACE, DEBUG, INFO, WARN and
     * ERROR are ABI v1 levels 0 to 4.
     */
    public enum Level {
        TRACE, DEBUG, INFO, WARN, ERROR;

        private static final Level[] BY_ABI = values();

        /** ABI v1 log levels 0..4; anything else reads as INFO. */
        public static Level ofAbi(int level) {
            return level >= 0 && level < BY_ABI.length ? BY_ABI[level] : INFO;
        }
    }

    @Override
    public String toString() {
        return TimeText.stamp(timeNanos) + " " + String.format("%-5s", level) + " [" + node + "] " + text;
    }
}
