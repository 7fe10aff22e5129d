package dev.parigot.sim.runner;

import dev.parigot.sim.faults.NetworkModel;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.NodeOptions;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.scheduler.Seed;
import io.grpc.CallOptions;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One unit in real time: its nodes run in one world driven by the wall clock (zero network
 * latency, FIFO scheduling, a seed from the OS's randomness, no step or virtual-time limit), and
 * every service they export is served over gRPC as unary methods {@code /<package.Service>/<Method>}
 * with the payload bytes unchanged. Services the nodes require that another unit exports are
 * proxies in the world that forward each call over gRPC to that unit's address.
 *
 * <pre>{@code
 * try (UnitHost unit = UnitHost.builder("catalog")
 *         .node(UnitNode.of(Path.of("catalog.wasm"), "catalog"))
 *         .remote("shop.v1.Inventory", "127.0.0.1:43517")
 *         .start()) {
 *     System.out.println(unit.target());      // 127.0.0.1:40123
 *     unit.ended().join();                    // until the world fails or the unit closes
 * }
 * }</pre>
 *
 * <p>Statuses map to gRPC codes of the same number, both ways ({@link GrpcStatus}). A call to a
 * service this unit does not export gets UNIMPLEMENTED from gRPC itself. The unit also serves the
 * standard health service ({@code grpc.health.v1.Health}, from grpc-services): SERVING for the
 * unit ({@code ""}) and for each service it exports while its world runs, NOT_SERVING once it
 * failed. With {@link Builder#data} its nodes' storage is kept in files ({@link FileDisks}) and
 * outlives the process; without, it is in memory.
 */
public final class UnitHost implements AutoCloseable {
    /** The test client's node name: incoming gRPC calls enter the world as its calls. */
    static final String GRPC_IN_NODE = "grpc-in";
    private static final byte[] EMPTY = new byte[0];

    private final String unitName;
    private final RealTimeWorld world;
    private final TestClient grpcIn;
    private final Set<String> exports;
    private final List<ManagedChannel> channels;
    private final Server server;
    private final ConnectIn connect;
    private final HealthStatusManager health = new HealthStatusManager();
    /** Where the storage service keeps synced data, or null (in memory). */
    private final FileDisks disks;
    /** Replies not yet given: if the world stops first, they are answered UNAVAILABLE (no caller waits forever). */
    private final Set<CompletableFuture<Reply>> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private UnitHost(Builder b) {
        this.unitName = b.unitName;
        try {
            this.disks = b.data == null ? null : FileDisks.open(b.data);
        } catch (IOException e) {
            throw new UncheckedIOException("unit " + unitName + " cannot use the data directory " + b.data + ": "
                    + e.getMessage(), e);
        }
        Sim sim = Sim.create(worldConfig(b.seed).toBuilder().disks(disks)
                .handlerWallMillisMax(b.handlerTimeMax.toMillis()).build());
        sim.onLog(line -> b.log.accept(line.toString()));
        for (UnitNode node : b.nodes) {
            NodeOptions options = NodeOptions.named(node.name());
            node.environment().forEach(options::env);
            options.args(node.arguments().toArray(String[]::new));
            sim.add(GuestModule.load(node.module()), options);
        }
        b.javaServices.forEach(sim::add);
        this.world = new RealTimeWorld(sim, "parigot-unit-" + unitName);
        world.ended().thenAccept(failure -> {
            if (failure != null) {
                b.log.accept("unit " + unitName + " stopped: its world failed: " + failure);
            }
            // The failure's reason (a trap, a hang, an exit), not its first line: a seed and a step
            // count mean nothing to a client of a real process.
            String why = "unit " + unitName + " has stopped" + (failure == null ? ""
                    : ": " + failure.lines().skip(1).findFirst().orElse(failure.lines().findFirst().orElse("")).strip());
            for (CompletableFuture<Reply> reply : List.copyOf(pending)) {
                reply.complete(new Reply(Status.UNAVAILABLE, EMPTY, why));
            }
            if (failure != null) {
                health(ServingStatus.NOT_SERVING);
            }
        });
        Map<String, ManagedChannel> byAddress = new LinkedHashMap<>();
        for (Map.Entry<String, String> remote : b.remotes.entrySet()) {
            ManagedChannel channel = byAddress.computeIfAbsent(remote.getValue(),
                    address -> NettyChannelBuilder.forTarget(address).usePlaintext().build());
            channel.getState(true); // connect now: a guest's first call should not pay for the handshake
            sim.add("remote-" + remote.getKey(), proxy(remote.getKey(), channel));
        }
        this.channels = List.copyOf(byAddress.values());
        this.grpcIn = sim.client(GRPC_IN_NODE);
        try {
            world.start();
        } catch (RuntimeException | Error e) {
            channels.forEach(ManagedChannel::shutdownNow);
            closeDisks();
            throw e;
        }
        // Read on the world's thread, like everything else about the world.
        CompletableFuture<Set<String>> served = new CompletableFuture<>();
        boolean queued = world.execute(() -> {
            Set<String> names = new LinkedHashSet<>();
            b.nodes.forEach(node -> names.addAll(sim.exportsOf(node.name())));
            b.javaServices.keySet().forEach(node -> names.addAll(sim.exportsOf(node)));
            served.complete(Set.copyOf(names));
        });
        if (!queued) {
            served.complete(Set.of()); // the world already ended: nothing to serve; ended() says why
        }
        this.exports = served.applyToEither(world.ended().thenApply(ended -> Set.<String>of()), names -> names).join();
        if (!world.ended().isDone()) {
            health(ServingStatus.SERVING);
        }
        this.server = serve(b.bindHost, b.port);
        ConnectIn connectIn = null;
        if (b.connect) {
            try {
                connectIn = new ConnectIn(b.bindHost, b.connectPort, b.messageTypes, new ConnectIn.Target() {
                    @Override
                    public Set<String> exports() {
                        return exports;
                    }

                    @Override
                    public CompletableFuture<Reply> call(String service, String method, byte[] payload) {
                        return UnitHost.this.call(service, method, payload);
                    }
                });
            } catch (RuntimeException e) { // its port is taken: nothing of this unit may keep running
                server.shutdownNow();
                world.stop(5_000);
                channels.forEach(ManagedChannel::shutdownNow);
                closeDisks();
                throw e;
            }
        }
        this.connect = connectIn;
    }

    /**
     * A builder for a unit named {@code unitName} (the name in logs and thread names).
     *
     * @param unitName the unit's name
     * @return a builder
     */
    public static Builder builder(String unitName) {
        return new Builder(unitName);
    }

    /** The world's configuration: real time needs no latency, no reordering and no limits. */
    static SimConfig worldConfig(long seed) {
        return SimConfig.builder()
                .seed(Seed.of(seed))
                .strategy("fifo")
                .network(NetworkModel.latency(0, 0))
                .stepsMax(Long.MAX_VALUE)
                .virtualTimeMax(Duration.ofNanos(Long.MAX_VALUE))
                .echoLog(false)
                .build();
    }

    /** The unit's name. */
    public String name() {
        return unitName;
    }

    /** The address the gRPC server is bound to. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenSockets().get(0);
    }

    /** The address as a gRPC target: {@code host:port}. */
    public String target() {
        InetSocketAddress a = address();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /**
     * The base URL of the Connect (HTTP/1.1) server, {@code http://host:port}, or empty if the unit
     * was built without one.
     */
    public java.util.Optional<String> connectUrl() {
        if (connect == null) {
            return java.util.Optional.empty();
        }
        InetSocketAddress a = connect.address();
        return java.util.Optional.of("http://" + a.getAddress().getHostAddress() + ":" + a.getPort());
    }

    /** The services this unit serves (exported by its nodes), sorted. */
    public List<String> exports() {
        return exports.stream().sorted().toList();
    }

    /**
     * Completes when the unit's world stops: with null after {@link #close()}, or with the report
     * of the failure that ended it (a trap, a node's non-zero exit).
     */
    public CompletableFuture<String> ended() {
        return world.ended();
    }

    /**
     * Calls a service of this unit from inside its world, as a gRPC call does, without the
     * network: the reply's status and payload.
     *
     * @param service the service ({@code name} or {@code name@node})
     * @param method the method
     * @param payload the request bytes
     * @return the reply, completed on the world's thread
     */
    public CompletableFuture<Reply> call(String service, String method, byte[] payload) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        pending.add(reply);
        reply.whenComplete((r, e) -> pending.remove(reply));
        if (world.ended().isDone()) {
            reply.complete(new Reply(Status.UNAVAILABLE, EMPTY, "unit " + unitName + " has stopped"));
            return reply;
        }
        boolean queued = world.execute(() -> grpcIn.call(service, method, payload).whenDone(done ->
                reply.complete(done.isOk() ? new Reply(Status.OK, done.get(), "")
                        : new Reply(done.status(), EMPTY, done.detail()))));
        if (!queued) {
            reply.complete(new Reply(Status.UNAVAILABLE, EMPTY, "unit " + unitName + " has stopped"));
        }
        return reply;
    }

    /**
     * A reply from the world.
     *
     * @param status its status
     * @param payload its bytes (empty unless OK, by convention)
     * @param detail why a non-OK reply failed, when known
     */
    public record Reply(Status status, byte[] payload, String detail) {
    }

    /** Stops the gRPC server, the world and the channels to other units, and closes the data files. */
    @Override
    public void close() {
        health.enterTerminalState(); // NOT_SERVING to every health check and watch still open
        if (connect != null) {
            connect.stop();
        }
        server.shutdown();
        try {
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        world.stop(5_000);
        channels.forEach(ManagedChannel::shutdownNow);
        closeDisks();
    }

    /**
     * What the health service says of the unit ({@code ""}) and of each service it exports, once
     * they are known (the world's end can come first, while they are being read).
     */
    private void health(ServingStatus status) {
        health.setStatus("", status);
        Set<String> known = exports;
        if (known != null) {
            known.forEach(service -> health.setStatus(service, status));
        }
    }

    private void closeDisks() {
        if (disks != null) {
            try {
                disks.close();
            } catch (IOException e) {
                System.err.println("unit " + unitName + ": " + e.getMessage()); // every sync was forced already
            }
        }
    }

    // ---- gRPC in: every exported service, any method, bytes unchanged ----

    private Server serve(String bindHost, int port) {
        Server started;
        HandlerRegistry registry = new HandlerRegistry() {
            @Override
            public ServerMethodDefinition<?, ?> lookupMethod(String fullMethodName, String authority) {
                int slash = fullMethodName.indexOf('/');
                if (slash < 0 || !exports.contains(fullMethodName.substring(0, slash))) {
                    return null; // gRPC answers UNIMPLEMENTED
                }
                String service = fullMethodName.substring(0, slash);
                String method = fullMethodName.substring(slash + 1);
                return ServerMethodDefinition.create(RawBytes.unary(fullMethodName),
                        ServerCalls.asyncUnaryCall((request, observer) -> forward(service, method, request, observer)));
            }
        };
        try {
            started = NettyServerBuilder.forAddress(new InetSocketAddress(bindHost, port))
                    .addService(health.getHealthService())
                    .fallbackHandlerRegistry(registry)
                    .build()
                    .start();
        } catch (IOException e) {
            world.stop(5_000);
            channels.forEach(ManagedChannel::shutdownNow);
            closeDisks();
            throw new UncheckedIOException("unit " + unitName + " cannot listen on " + bindHost + ":" + port + ": "
                    + rootReason(e) + "; free the port or give another (--port; 0 picks a free one)", e);
        }
        return started;
    }

    /** The message of {@code e}'s deepest cause (such as "Address already in use"), else its own. */
    static String rootReason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    private void forward(String service, String method, byte[] request, StreamObserver<byte[]> observer) {
        call(service, method, request).thenAccept(reply -> {
            try {
                if (reply.status() == Status.OK) {
                    observer.onNext(reply.payload());
                    observer.onCompleted();
                } else {
                    observer.onError(GrpcStatus.toGrpc(reply.status()).withDescription(
                            reply.detail().isEmpty() ? null : reply.detail()).asRuntimeException());
                }
            } catch (RuntimeException e) {
                // The caller went away (cancelled, deadline): nobody is left to answer.
            }
        });
    }

    // ---- gRPC out: a required service of another unit is a proxy in this world ----

    private JavaService proxy(String service, ManagedChannel channel) {
        return JavaService.builder(service).otherMethods((payload, call) ->
                ClientCalls.asyncUnaryCall(channel.newCall(RawBytes.unary(service + "/" + call.method()),
                        CallOptions.DEFAULT), payload, new StreamObserver<byte[]>() {
                            private byte[] reply = EMPTY;

                            @Override
                            public void onNext(byte[] value) {
                                reply = value;
                            }

                            @Override
                            public void onError(Throwable t) {
                                Status status = GrpcStatus.fromGrpc(io.grpc.Status.fromThrowable(t).getCode());
                                if (status == Status.UNAVAILABLE) {
                                    // The other unit may be restarting: try its address again at the next call
                                    // instead of after gRPC's reconnect backoff (one second and growing).
                                    channel.resetConnectBackoff();
                                }
                                world.execute(() -> call.reply(status, EMPTY));
                            }

                            @Override
                            public void onCompleted() {
                                byte[] answer = reply;
                                world.execute(() -> call.reply(Status.OK, answer));
                            }
                        })).build();
    }

    /** What a unit runs and where it finds the rest of the application. */
    public static final class Builder {
        private final String unitName;
        private final List<UnitNode> nodes = new ArrayList<>();
        private final Map<String, JavaService> javaServices = new LinkedHashMap<>();
        private final Map<String, String> remotes = new LinkedHashMap<>();
        private String bindHost = "127.0.0.1";
        private int port;
        private boolean connect = true;
        private int connectPort;
        private MessageTypes messageTypes;
        private long seed = new SecureRandom().nextLong();
        private Duration handlerTimeMax = Duration.ofMillis(SimConfig.HANDLER_WALL_MILLIS_MAX_DEFAULT);
        private java.nio.file.Path data;
        private Consumer<String> log = line -> System.out.println(line);

        private Builder(String unitName) {
            this.unitName = Objects.requireNonNull(unitName, "unitName");
        }

        /**
         * The services' message types, for Connect requests with {@code application/json} bodies
         * (translated to and from the protobuf bytes the guests see with protobuf's JsonFormat).
         *
         * @param descriptorSet a file written by {@code protoc --descriptor_set_out=FILE --include_imports}
         * @return this builder
         * @throws IllegalArgumentException if the file cannot be read as a descriptor set
         */
        public Builder descriptors(java.nio.file.Path descriptorSet) {
            this.messageTypes = MessageTypes.load(Objects.requireNonNull(descriptorSet, "descriptorSet"));
            return this;
        }

        /**
         * Adds a guest node.
         *
         * @param node the module, name, environment and arguments
         * @return this builder
         */
        public Builder node(UnitNode node) {
            nodes.add(Objects.requireNonNull(node, "node"));
            return this;
        }

        /**
         * Adds a Java service (a fake of an outside system) as node {@code nodeName}.
         *
         * @param nodeName its node name
         * @param service the service
         * @return this builder
         */
        public Builder javaService(String nodeName, JavaService service) {
            javaServices.put(nodeName, service);
            return this;
        }

        /**
         * Where another unit serves {@code service}: calls to it go there over gRPC.
         *
         * @param service the fully qualified service name
         * @param target the other unit's gRPC address, {@code host:port}
         * @return this builder
         */
        public Builder remote(String service, String target) {
            remotes.put(Objects.requireNonNull(service, "service"), Objects.requireNonNull(target, "target"));
            return this;
        }

        /**
         * The host the gRPC server binds (default {@code 127.0.0.1}: loopback only).
         *
         * @param host a host name or address
         * @return this builder
         */
        public Builder bindHost(String host) {
            this.bindHost = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * The gRPC port (default 0: the OS picks a free one).
         *
         * @param value the port
         * @return this builder
         */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /**
         * Whether to serve Connect unary calls over HTTP/1.1 too (default: yes), and on which port
         * (0: any free one).
         *
         * @param enabled whether to serve Connect
         * @param httpPort its port
         * @return this builder
         */
        public Builder connect(boolean enabled, int httpPort) {
            this.connect = enabled;
            this.connectPort = httpPort;
            return this;
        }

        /**
         * How long one handler may run before the unit's world fails as a hang (default 5 s of
         * wall-clock time, as in simulation; {@code --handler-time-max}).
         *
         * @param value at least 1 ms
         * @return this builder
         * @throws IllegalArgumentException for less than 1 ms
         */
        public Builder handlerTimeMax(Duration value) {
            if (value == null || value.toMillis() < 1) {
                throw new IllegalArgumentException("--handler-time-max " + value + ": give at least 1ms, e.g. 30s");
            }
            this.handlerTimeMax = value;
            return this;
        }

        /**
         * The world's seed (default: drawn from the OS's randomness). The run is not replayable
         * anyway (the wall clock decides the order); a fixed seed only fixes the nodes' random bytes.
         *
         * @param value the seed
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Keeps the storage of this unit's nodes in {@code directory} (one file per node, written
         * through at every Sync; see {@link FileDisks}): a unit started again on the same directory
         * reads what its nodes synced. Default: in memory, gone when the unit stops. Two units must
         * not share a directory.
         *
         * @param directory the directory (created if missing)
         * @return this builder
         */
        public Builder data(java.nio.file.Path directory) {
            this.data = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Where the unit's log lines go (default: standard output).
         *
         * @param sink receives each line of the unified log
         * @return this builder
         */
        public Builder log(Consumer<String> sink) {
            this.log = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * Loads the modules, boots the world in real time and starts serving.
         *
         * @return the running unit
         * @throws dev.parigot.sim.kernel.SimFailureException if boot fails (a missing service, a cycle)
         */
        public UnitHost start() {
            for (String service : remotes.keySet()) {
                if (javaServices.values().stream().anyMatch(j -> j.name().equals(service))) {
                    throw new IllegalArgumentException(service + " is served by a Java service of unit " + unitName
                            + " and also given as remote; drop one of them");
                }
            }
            return new UnitHost(this);
        }
    }
}
