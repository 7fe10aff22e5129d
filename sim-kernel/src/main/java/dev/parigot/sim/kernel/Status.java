package dev.parigot.sim.kernel;

/** The gRPC canonical status codes, which ABI v1 uses for every status. */
public enum Status {
    /** 0: success. */
    OK,
    /** 1: the operation was cancelled, typically by the caller. */
    CANCELLED,
    /** 2: an unknown error; also what {@link #of} reads a code outside 0 to 16 as. */
    UNKNOWN,
    /**
     * 3: the request is not valid, whatever the state of the system; a {@link JavaService} method
     * answers it to a request that does not parse.
     */
    INVALID_ARGUMENT,
    /** 4: no result within the call's deadline (virtual time); a late result is dropped. */
    DEADLINE_EXCEEDED,
    /** 5: something requested was not found. */
    NOT_FOUND,
    /** 6: something to be created already exists. */
    ALREADY_EXISTS,
    /** 7: the caller may not do this. */
    PERMISSION_DENIED,
    /**
     * 8: a resource ran out; a Java call whose payload is over
     * {@link SimConfig#payloadBytesLimit()} completes with it.
     */
    RESOURCE_EXHAUSTED,
    /** 9: the system is not in a state that allows the operation. */
    FAILED_PRECONDITION,
    /** 10: the operation was aborted, typically by a concurrency conflict. */
    ABORTED,
    /** 11: the operation went past a valid range. */
    OUT_OF_RANGE,
    /** 12: the service does not implement the method. */
    UNIMPLEMENTED,
    /** 13: an internal error; a Java call whose reply does not parse completes with it. */
    INTERNAL,
    /** 14: the service cannot be reached now (e.g. its node has exited); a retry may succeed. */
    UNAVAILABLE,
    /** 15: unrecoverable data loss or corruption. */
    DATA_LOSS,
    /** 16: the caller has no valid credentials. */
    UNAUTHENTICATED;

    private static final Status[] BY_CODE = values();

    /** The canonical numeric code, 0 ({@link #OK}) to 16 ({@link #UNAUTHENTICATED}), as ABI v1 passes it. */
    public int code() {
        return ordinal();
    }

    /** Whether {@code code} is one of the canonical codes, 0 to 16. */
    public static boolean isValid(long code) {
        return code >= 0 && code < BY_CODE.length;
    }

    /** The status with this code; codes outside 0..16 read as UNKNOWN. */
    public static Status of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
