package dev.parigot.sim.kernel;

import dev.parigot.sim.faults.TimeText;
import java.util.Locale;

/**
 * One step of a world: its number, virtual time, the node that sent the event and the node that
 * ran it, the kind, the call (or timer) id, the method, and the payload's size and hash.
 *
 * @param step the step's number, from 1
 * @param timeNanos the world's virtual time of the step, in nanoseconds
 * @param source the node the event came from ("kernel" for faults and boot)
 * @param target the node that ran the event, or the node a fault struck ("kernel" for none)
 * @param kind what the step was
 * @param id the call id (calls and results) or timer id (timers); 0 for none
 * @param method {@code service/Method} for a message, "" for a step that carries none
 * @param payloadBytes the payload's size in bytes (0 for none)
 * @param payloadHash a hash of the payload's bytes
 * @param status the status code of a result ({@link Status#of})
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
