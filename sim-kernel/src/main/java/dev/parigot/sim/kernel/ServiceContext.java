package dev.parigot.sim.kernel;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.time.Duration;

/**
 * What Java code inside a world (a Java service or a test client) can do: call services, set
 * timers, read virtual time and seeded randomness, log. Everything it does is an event of the
 * world and is scheduled like a guest's.
 */
public interface ServiceContext {

    /** This process's node name. */
    String node();

    /** Virtual time in nanoseconds. */
    long nowNanos();

    /** Calls {@code service} ({@code name} or {@code name@node}) with raw bytes. */
    SimFuture<byte[]> call(String service, String method, byte[] payload);

    /** Calls with a protobuf request and parses the reply with {@code replyParser}. */
    <R> SimFuture<R> call(String service, String method, Message request, Parser<R> replyParser);

    /**
     * Calls with raw bytes and a deadline: if no result has come within {@code deadline} of
     * virtual time, the future completes with {@link Status#DEADLINE_EXCEEDED} and a later result
     * is dropped, as a gRPC client's deadline does. A call to a node that crashed, or whose answer
     * the network lost, then ends instead of staying pending.
     */
    SimFuture<byte[]> call(String service, String method, byte[] payload, Duration deadline);

    /** As {@link #call(String, String, byte[], Duration)}, with a protobuf request and reply. */
    <R> SimFuture<R> call(String service, String method, Message request, Parser<R> replyParser, Duration deadline);

    /** Runs {@code action} after {@code delay} of virtual time; returns the timer id. */
    long schedule(Duration delay, Runnable action);

    /** Cancels a timer; false if it already fired or is unknown. */
    boolean cancel(long timerId);

    /** Seeded randomness for this process. */
    long randomLong();

    /** Writes a line to the world's unified log, at the current virtual time, under this process's name. */
    void log(LogLine.Level level, String text);
}
