package dev.parigot.sim.runner;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The committed sample modules the runner's tests run, and a plain gRPC client of raw bytes. */
final class Modules {
    private Modules() {
    }

    static final Path SAMPLES = Path.of("..", "samples");
    static final Path CATALOG = existing(SAMPLES.resolve("shop/catalog/catalog.wasm"));
    static final Path LEDGER = existing(SAMPLES.resolve("src/main/resources/guests/ledger.wasm"));
    static final Path TELLER = existing(SAMPLES.resolve("src/main/resources/guests/teller_fixed.wasm"));
    static final Path COUNTER = existing(Path.of("..", "guest-sdk/rust/examples/counter/counter.wasm"));

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("the committed module " + p.toAbsolutePath() + " is missing");
        }
        return p;
    }

    /** A unit's log sink for tests: only the line that says a unit stopped (with its world's failure). */
    static void failuresOnly(String line) {
        if (line.startsWith("unit ")) {
            System.out.println(line);
        }
    }

    static ManagedChannel channel(String target) {
        return NettyChannelBuilder.forTarget(target).usePlaintext().build();
    }

    /** A unary call of {@code service/method} with raw bytes, as any gRPC client without generated code makes it. */
    static byte[] call(ManagedChannel channel, String fullMethod, byte[] request) {
        return ClientCalls.blockingUnaryCall(channel, RawBytes.unary(fullMethod),
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), request);
    }

    /**
     * {@link #call} again while it fails DEADLINE_EXCEEDED, up to {@code attempts} times: the shop's
     * checkout gives each downstream call 100 ms, and the first calls into cold JVMs can take longer,
     * as they would in production.
     */
    static byte[] callRetryingDeadlines(ManagedChannel channel, String fullMethod, byte[] request, int attempts) {
        return callRetrying(channel, fullMethod, request, attempts, java.util.Set.of(io.grpc.Status.Code.DEADLINE_EXCEEDED),
                0);
    }

    /**
     * {@link #call} again while it fails with one of {@code codes}, {@code pauseMillis} apart, at
     * most {@code attempts} times; any other failure, or the last, is thrown.
     */
    static byte[] callRetrying(ManagedChannel channel, String fullMethod, byte[] request, int attempts,
            java.util.Set<io.grpc.Status.Code> codes, long pauseMillis) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call(channel, fullMethod, request);
            } catch (io.grpc.StatusRuntimeException e) {
                if (attempt >= attempts || !codes.contains(e.getStatus().getCode())) {
                    throw e;
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted between attempts of " + fullMethod, e);
            }
        }
    }

    static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
