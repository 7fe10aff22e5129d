package dev.parigot.sim.kernel.internal.world;

import dev.parigot.sim.faults.TimeText;
import dev.parigot.sim.kernel.LogLine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A world's unified log: every line a guest, a Java service or the kernel writes, stamped with
 * virtual time and node, kept in memory (the last {@code capacity} lines, for failure reports)
 * and echoed through SLF4J with the seed, so concurrent worlds stay apart in one log file.
 *
 * <p>SLF4J loggers are {@code parigot.sim.<node>}; the MDC carries {@code sim.seed},
 * {@code sim.node} and {@code sim.time}, and the message starts with the same facts.
 */
public final class WorldLog {
    private final ArrayDeque<LogLine> lines = new ArrayDeque<>();
    private final int capacity;
    private final boolean echo;
    private final String seedText;
    private final List<java.util.function.Consumer<LogLine>> listeners = new ArrayList<>();
    /** Lines added since the listeners last heard; only kept while there are listeners. */
    private final ArrayList<LogLine> unheard = new ArrayList<>();

    WorldLog(int capacity, boolean echo, String seedText) {
        this.capacity = capacity;
        this.echo = echo;
        this.seedText = seedText;
    }

    public void add(LogLine line) {
        if (!listeners.isEmpty()) {
            unheard.add(line);
        }
        if (capacity > 0) {
            if (lines.size() == capacity) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }
        if (echo) {
            echo(line);
        }
    }

    private void echo(LogLine line) {
        Logger logger = LoggerFactory.getLogger("parigot.sim." + line.node());
        boolean enabled;
        switch (line.level()) {
            case TRACE: enabled = logger.isTraceEnabled(); break;
            case DEBUG: enabled = logger.isDebugEnabled(); break;
            case INFO: enabled = logger.isInfoEnabled(); break;
            case WARN: enabled = logger.isWarnEnabled(); break;
            default: enabled = logger.isErrorEnabled(); break;
        }
        if (!enabled) {
            return;
        }
        String stamp = TimeText.stamp(line.timeNanos());
        MDC.put("sim.seed", seedText);
        MDC.put("sim.node", line.node());
        MDC.put("sim.time", stamp);
        try {
            String text = "[" + seedText + " " + stamp + " " + line.node() + "] " + line.text();
            switch (line.level()) {
                case TRACE: logger.trace(text); break;
                case DEBUG: logger.debug(text); break;
                case INFO: logger.info(text); break;
                case WARN: logger.warn(text); break;
                default: logger.error(text); break;
            }
        } finally {
            MDC.remove("sim.seed");
            MDC.remove("sim.node");
            MDC.remove("sim.time");
        }
    }

    public void listen(java.util.function.Consumer<LogLine> listener) {
        listeners.add(listener);
    }

    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /** Hands every line added since the last call to each listener, once. */
    public void notifyListeners() {
        if (unheard.isEmpty()) {
            return;
        }
        List<LogLine> batch = new ArrayList<>(unheard);
        unheard.clear();
        for (LogLine line : batch) {
            for (java.util.function.Consumer<LogLine> listener : listeners) {
                listener.accept(line);
            }
        }
    }

    public List<LogLine> lines() {
        return new ArrayList<>(lines);
    }

    public List<LogLine> tail(int n) {
        List<LogLine> all = lines();
        return all.subList(Math.max(0, all.size() - n), all.size());
    }
}
