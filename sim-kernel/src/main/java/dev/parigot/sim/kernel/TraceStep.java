package dev.parigot.sim.kernel;

import dev.parigot.sim.faults.TimeText;
import java.util.Locale;

/**
 * One step of a world: its number, virtual time, the node that sent the event and the node that
 * ran it, the kind, the call (or timer) id, the method, and the payload's size and hash.
 */
public record TraceStep(
        long step,
        long timeNanos,
        String source,
        String target,
        StepKind kind,
        long id,
        String method,
        int payloadBytes,
        long payloadHash,
        int status) {

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "#%-6d %s %-7s %s -> %s", step, TimeText.stamp(timeNanos),
                kind, source, target));
        if (id != 0) {
            s.append(kind == StepKind.TIMER ? " timer " : " call ").append(id);
        }
        if (!method.isEmpty()) {
            s.append(' ').append(method);
        }
        if (kind == StepKind.RESULT) {
            s.append(' ').append(Status.of(status));
        }
        if (payloadBytes > 0) {
            s.append(String.format(Locale.ROOT, " (%d B #%08x)", payloadBytes, (int) payloadHash));
        }
        return s.toString();
    }
}
