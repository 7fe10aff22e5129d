package dev.parigot.sim.runner;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A gRPC marshaller that passes the payload bytes through unchanged: no generated code needed. */
final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    static final RawBytes INSTANCE = new RawBytes();

    private RawBytes() {
    }

    /** The unary method descriptor of {@code fullMethodName} ({@code package.Service/Method}) over raw bytes. */
    static MethodDescriptor<byte[], byte[]> unary(String fullMethodName) {
        return MethodDescriptor.<byte[], byte[]>newBuilder(INSTANCE, INSTANCE)
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(fullMethodName)
                .build();
    }

    @Override
    public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
        try (stream) {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
