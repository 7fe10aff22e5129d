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

    /** Runs {@code action} after {@code delay} of virtual time; returns the timer id. */
    long schedule(Duration delay, Runnable action);

    /** Cancels a timer; false if it already fired or is unknown. */
    boolean cancel(long timerId);

    /** Seeded randomness for this process. */
    long randomLong();

    void log(LogLine.Level level, String text);
}
