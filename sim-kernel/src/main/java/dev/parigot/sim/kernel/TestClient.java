package dev.parigot.sim.kernel;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.parigot.sim.kernel.internal.javanode.JavaNode;
import java.time.Duration;

/**
 * A client process that test code drives: its calls and timers are events of the world,
 * scheduled like any other, so their interleaving with the services is explored too. A client
 * may call any service without declaring it.
 */
public final class TestClient implements ServiceContext {
    private final JavaNode node;

    TestClient(JavaNode node) {
        this.node = node;
    }

    @Override
    public String node() {
        return node.name;
    }

    @Override
    public long nowNanos() {
        return node.nowNanos();
    }

    @Override
    public SimFuture<byte[]> call(String service, String method, byte[] payload) {
        return node.call(service, method, payload);
    }

    @Override
    public <R> SimFuture<R> call(String service, String method, Message request, Parser<R> replyParser) {
        return node.call(service, method, request, replyParser);
    }

    @Override
    public SimFuture<byte[]> call(String service, String method, byte[] payload, Duration deadline) {
        return node.call(service, method, payload, deadline);
    }

    @Override
    public <R> SimFuture<R> call(String service, String method, Message request, Parser<R> replyParser,
            Duration deadline) {
        return node.call(service, method, request, replyParser, deadline);
    }

    @Override
    public long schedule(Duration delay, Runnable action) {
        return node.schedule(delay, action);
    }

    @Override
    public boolean cancel(long timerId) {
        return node.cancel(timerId);
    }

    @Override
    public long randomLong() {
        return node.randomLong();
    }

    @Override
    public void log(LogLine.Level level, String text) {
        node.log(level, text);
    }

    @Override
    public String toString() {
        return "TestClient[" + node.name + "]";
    }
}
