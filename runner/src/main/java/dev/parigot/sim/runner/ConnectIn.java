package dev.parigot.sim.runner;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parigot.sim.kernel.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Connect unary over HTTP/1.1 (the JDK's HTTP server): {@code POST /<package.Service>/<Method>}
 * with {@code Content-Type: application/proto}, the body being the request message's bytes; the
 * answer is 200 with the reply's bytes, or a Connect error: an HTTP status and a JSON body
 * {@code {"code": "not_found", "message": "..."}}. JSON bodies are not served yet (415).
 */
final class ConnectIn {
    /** A request body larger than this is refused (the kernel's default payload limit, gRPC's default). */
    static final int BODY_BYTES_MAX = 4 << 20;
    /** How long an HTTP call waits for the world's reply. */
    static final long REPLY_WAIT_SECONDS = 60;
    /**
     * Replies in JSON name every field, zeros and empty strings included: a stock of 0 reads
     * {@code "stock": 0} instead of vanishing (protobuf's JSON leaves defaults out unless asked).
     */
    private static final JsonFormat.Printer JSON_OUT = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

    private final HttpServer server;
    private final ExecutorService threads;

    interface Target {
        Set<String> exports();

        java.util.concurrent.CompletableFuture<UnitHost.Reply> call(String service, String method, byte[] payload);
    }

    private final MessageTypes types;

    ConnectIn(String bindHost, int port, MessageTypes types, Target target) {
        this.types = types;
        try {
            server = HttpServer.create(new InetSocketAddress(bindHost, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for Connect on " + bindHost + ":" + port + ": "
                    + UnitHost.rootReason(e) + "; free the port or give another (--connect-port; 0 picks a free one,"
                    + " -1 serves no Connect)", e);
        }
        threads = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "parigot-connect");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange, target, types);
            }
        });
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    private static void handle(HttpExchange exchange, Target target, MessageTypes types) throws IOException {
        String path = exchange.getRequestURI().getPath();
        int slash = path.indexOf('/', 1);
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            error(exchange, 405, "unimplemented", "Connect unary calls are POST requests");
            return;
        }
        if (slash < 0 || !target.exports().contains(path.substring(1, slash))) {
            error(exchange, 404, "unimplemented", "this unit serves no " + path + "; it serves "
                    + target.exports().stream().sorted().toList());
            return;
        }
        String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        boolean json = type.toLowerCase(Locale.ROOT).startsWith("application/json");
        if (!json && !type.toLowerCase(Locale.ROOT).startsWith("application/proto")) {
            error(exchange, 415, "unimplemented", "Content-Type " + type
                    + " is not served; send application/proto, or application/json");
            return;
        }
        String service = path.substring(1, slash);
        String methodName = path.substring(slash + 1);
        Descriptors.MethodDescriptor method = null;
        if (json) {
            if (types == null) {
                error(exchange, 415, "unimplemented", "application/json needs the services' descriptor set: start the"
                        + " unit with --descriptors FILE (protoc --descriptor_set_out=FILE --include_imports), or send"
                        + " application/proto");
                return;
            }
            method = types.method(service, methodName).orElse(null);
            if (method == null) {
                error(exchange, 404, "unimplemented", "the descriptor set describes no " + service + "/" + methodName);
                return;
            }
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(BODY_BYTES_MAX + 1);
        }
        if (body.length > BODY_BYTES_MAX) {
            error(exchange, 429, "resource_exhausted", "the request is larger than " + BODY_BYTES_MAX + " bytes");
            return;
        }
        if (json) {
            try {
                DynamicMessage.Builder request = DynamicMessage.newBuilder(method.getInputType());
                JsonFormat.parser().merge(new String(body, StandardCharsets.UTF_8), request);
                body = request.build().toByteArray();
            } catch (InvalidProtocolBufferException e) {
                error(exchange, 400, "invalid_argument", "the JSON body is not a " + method.getInputType().getFullName()
                        + ": " + e.getMessage());
                return;
            }
        }
        UnitHost.Reply reply;
        try {
            reply = target.call(service, methodName, body)
                    .get(REPLY_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            error(exchange, 504, "deadline_exceeded", "no reply within " + REPLY_WAIT_SECONDS + " s");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(exchange, 503, "unavailable", "the unit is stopping");
            return;
        } catch (java.util.concurrent.ExecutionException e) {
            error(exchange, 500, "internal", String.valueOf(e.getCause()));
            return;
        }
        if (reply.status() != Status.OK) {
            error(exchange, httpStatus(reply.status()), code(reply.status()), reply.detail());
            return;
        }
        byte[] payload = reply.payload();
        if (json) {
            try {
                payload = JSON_OUT.print(DynamicMessage.parseFrom(method.getOutputType(), payload))
                        .getBytes(StandardCharsets.UTF_8);
            } catch (InvalidProtocolBufferException e) {
                error(exchange, 500, "internal", "the reply is not a " + method.getOutputType().getFullName() + ": "
                        + e.getMessage());
                return;
            }
        }
        exchange.getResponseHeaders().set("Content-Type", json ? "application/json" : "application/proto");
        exchange.sendResponseHeaders(200, payload.length == 0 ? -1 : payload.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(payload);
        }
    }

    /** Connect's name of a status: the gRPC name in lower case, CANCELLED spelled "canceled". */
    static String code(Status status) {
        return status == Status.CANCELLED ? "canceled" : status.name().toLowerCase(Locale.ROOT);
    }

    /** The HTTP status Connect's protocol gives each code. */
    static int httpStatus(Status status) {
        return switch (status) {
            case OK -> 200;
            case CANCELLED -> 499;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case UNAUTHENTICATED -> 401;
            case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
        };
    }

    private static void error(HttpExchange exchange, int httpStatus, String code, String message) throws IOException {
        String json = "{\"code\":\"" + code + "\"" + (message == null || message.isEmpty() ? ""
                : ",\"message\":\"" + escape(message) + "\"") + "}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(httpStatus, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
