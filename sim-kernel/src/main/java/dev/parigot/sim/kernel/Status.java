package dev.parigot.sim.kernel;

/** The gRPC canonical status codes, which ABI v1 uses for every status. */
public enum Status {
    OK,
    CANCELLED,
    UNKNOWN,
    INVALID_ARGUMENT,
    DEADLINE_EXCEEDED,
    NOT_FOUND,
    ALREADY_EXISTS,
    PERMISSION_DENIED,
    RESOURCE_EXHAUSTED,
    FAILED_PRECONDITION,
    ABORTED,
    OUT_OF_RANGE,
    UNIMPLEMENTED,
    INTERNAL,
    UNAVAILABLE,
    DATA_LOSS,
    UNAUTHENTICATED;

    private static final Status[] BY_CODE = values();

    public int code() {
        return ordinal();
    }

    public static boolean isValid(long code) {
        return code >= 0 && code < BY_CODE.length;
    }

    /** The status with this code; codes outside 0..16 read as UNKNOWN. */
    public static Status of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
