package dev.parigot.sim.kernel;

import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A service written in Java that runs in a world beside the guests: typically a fake of an
 * external system (a payment gateway, a clock server). Built from the service's .proto
 * descriptor, so method names and request types are checked when the fake is built.
 *
 * <pre>{@code
 * JavaService ledger = JavaService.builder(BankProto.getDescriptor().findServiceByName("Ledger"))
 *     .method("Get", GetRequest.parser(), (req, call) -> call.reply(GetReply.newBuilder().setBalance(7).build()))
 *     .build();
 * sim.add("ledger", ledger);
 * }</pre>
 */
public final class JavaService {

    /** Handles a decoded request. */
    @FunctionalInterface
    public interface Handler<Q> {
        /**
         * Handles one call; answer through {@code call}, now or later. An exception it throws fails
         * the world (an AssertionError as an assertion, anything else as an error in test code).
         */
        void handle(Q request, IncomingCall call) throws Exception;
    }

    private static final java.util.concurrent.atomic.AtomicLong SERIAL = new java.util.concurrent.atomic.AtomicLong();

    final String name;
    /** Tells two services apart: only nodes running the same JavaService object are replicas. */
    final long serial = SERIAL.incrementAndGet();
    final List<String> requires;
    final Map<String, Handler<byte[]>> methods;
    /** Handles every method not in {@link #methods}; null: those get UNIMPLEMENTED. */
    final Handler<byte[]> otherMethods;
    final Consumer<ServiceContext> onReady;
    /** The service's .proto descriptor, if built from one: replies are checked against its output types. */
    final Descriptors.ServiceDescriptor descriptor;

    private JavaService(Builder b) {
        this.name = b.name;
        this.descriptor = b.descriptor;
        this.requires = List.copyOf(b.requires);
        this.methods = Collections.unmodifiableMap(new LinkedHashMap<>(b.methods));
        this.onReady = b.onReady;
        this.otherMethods = b.otherMethods;
    }

    /**
     * Refuses a reply whose type is not the method's declared output type (when the service was
     * built from its descriptor), with a sentence naming the method and both types.
     */
    void checkReply(String method, Message response) {
        if (descriptor == null) {
            return;
        }
        Descriptors.MethodDescriptor m = descriptor.findMethodByName(method);
        String given = response.getDescriptorForType().getFullName();
        if (m != null && !m.getOutputType().getFullName().equals(given)) {
            throw new IllegalArgumentException(name + "/" + method + " replied with a " + given + ", but its .proto"
                    + " declares that " + method + " returns " + m.getOutputType().getFullName()
                    + "; reply with that type");
        }
    }

    /** The fully qualified protobuf name of the service, e.g. {@code bank.v1.Ledger}. */
    public String name() {
        return name;
    }

    /**
     * A builder for a service known only by its fully qualified name: nothing is checked against a
     * .proto, neither method names nor request or reply types. For a service without generated
     * descriptors, or a proxy ({@link Builder#otherMethods}).
     *
     * @throws IllegalArgumentException if the name is blank or contains '@'
     */
    public static Builder builder(String serviceName) {
        return new Builder(serviceName, null);
    }

    /**
     * A builder for the service {@code descriptor} describes, named by its full name. Method names
     * and request types are checked when the builder is given a method (a name the .proto does not
     * declare, or a parser of another message type, throws {@link IllegalArgumentException}), and
     * each reply's type is checked when it is sent (a reply of another type than the method's
     * output throws {@link IllegalArgumentException}).
     */
    public static Builder builder(Descriptors.ServiceDescriptor descriptor) {
        return new Builder(descriptor.getFullName(), descriptor);
    }

    /** Builds a {@link JavaService}: its methods, the services it requires, what it does when ready. */
    public static final class Builder {
        private final String name;
        private final Descriptors.ServiceDescriptor descriptor;
        private final List<String> requires = new ArrayList<>();
        private final Map<String, Handler<byte[]>> methods = new LinkedHashMap<>();
        private Consumer<ServiceContext> onReady = ctx -> { };
        private Handler<byte[]> otherMethods;

        private Builder(String name, Descriptors.ServiceDescriptor descriptor) {
            if (name == null || name.isBlank() || name.contains("@")) {
                throw new IllegalArgumentException("'" + name + "' is not a service name; use the fully qualified"
                        + " protobuf name, e.g. bank.v1.Ledger");
            }
            this.name = name;
            this.descriptor = descriptor;
        }

        /** Services this one calls (like require_service in a guest). */
        public Builder requires(String... services) {
            Collections.addAll(requires, services);
            return this;
        }

        /** A method taking raw bytes. */
        public Builder rawMethod(String method, Handler<byte[]> handler) {
            checkMethod(method, null);
            if (methods.putIfAbsent(method, handler) != null) {
                throw new IllegalArgumentException(name + "/" + method + " is defined twice");
            }
            return this;
        }

        /** A method whose request is parsed with {@code parser}; a request that does not parse gets INVALID_ARGUMENT. */
        public <Q extends Message> Builder method(String method, Parser<Q> parser, Handler<Q> handler) {
            checkMethod(method, parser);
            return rawMethod(method, (bytes, call) -> {
                Q request;
                try {
                    request = parser.parseFrom(bytes);
                } catch (InvalidProtocolBufferException e) {
                    call.fail(Status.INVALID_ARGUMENT);
                    return;
                }
                handler.handle(request, call);
            });
        }

        /**
         * Handles, with raw bytes, every method this builder does not define: a service whose
         * methods are not known in advance, such as a proxy that forwards each call to another
         * process ({@link IncomingCall#method()} names the method). Without it such calls get
         * UNIMPLEMENTED.
         *
         * @param handler the handler of every other method
         * @return this builder
         */
        public Builder otherMethods(Handler<byte[]> handler) {
            if (this.otherMethods != null) {
                throw new IllegalArgumentException(name + " already has a handler for its other methods");
            }
            this.otherMethods = java.util.Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Runs when the service becomes ready (it may start timers or calls). */
        public Builder onReady(Consumer<ServiceContext> action) {
            this.onReady = action;
            return this;
        }

        private void checkMethod(String method, Parser<?> parser) {
            if (descriptor == null) {
                return;
            }
            Descriptors.MethodDescriptor m = descriptor.findMethodByName(method);
            if (m == null) {
                List<String> known = new ArrayList<>();
                descriptor.getMethods().forEach(x -> known.add(x.getName()));
                throw new IllegalArgumentException(name + " has no method '" + method + "' in its .proto; its methods"
                        + " are " + known);
            }
            if (parser != null) {
                Object sample = defaultInstance(parser);
                if (sample instanceof Message msg
                        && !msg.getDescriptorForType().getFullName().equals(m.getInputType().getFullName())) {
                    throw new IllegalArgumentException(name + "/" + method + " takes " + m.getInputType().getFullName()
                            + ", but the parser given reads " + msg.getDescriptorForType().getFullName());
                }
            }
        }

        private static Object defaultInstance(Parser<?> parser) {
            try {
                return parser.parseFrom(new byte[0]);
            } catch (InvalidProtocolBufferException e) {
                return null;
            }
        }

        /**
         * The service, to add to worlds with {@link Sim#add(String, JavaService)}; one service
         * added as several nodes makes them replicas.
         */
        public JavaService build() {
            return new JavaService(this);
        }
    }
}
