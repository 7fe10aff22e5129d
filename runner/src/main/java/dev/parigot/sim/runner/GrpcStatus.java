package dev.parigot.sim.runner;

import dev.parigot.sim.kernel.Status;

/**
 * Statuses across the wire. ABI v1's statuses are the gRPC canonical codes with the same numbers
 * (0 OK to 16 UNAUTHENTICATED), so each maps to the gRPC code of the same value, both ways.
 */
public final class GrpcStatus {
    private GrpcStatus() {
    }

    /**
     * The gRPC status of a parigot status.
     *
     * @param status a parigot status
     * @return the gRPC status with the same code
     */
    public static io.grpc.Status toGrpc(Status status) {
        return io.grpc.Status.fromCodeValue(status.code());
    }

    /**
     * The parigot status of a gRPC status code.
     *
     * @param code a gRPC status code
     * @return the parigot status with the same number
     */
    public static Status fromGrpc(io.grpc.Status.Code code) {
        return Status.of(code.value());
    }
}
