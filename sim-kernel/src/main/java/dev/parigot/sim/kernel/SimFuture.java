package dev.parigot.sim.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The result of a call made by Java code in a world: completed by the kernel, on the world's
 * thread, in the step that delivers the result. Never blocks: {@link Sim#await} runs the world
 * until it is done.
 */
public final class SimFuture<T> {
    private boolean done;
    private Status status;
    private T value;
    private String detail = "";
    private List<Consumer<SimFuture<T>>> callbacks;

    SimFuture() {
    }

    void complete(Status resultStatus, T resultValue, String resultDetail) {
        if (done) {
            return;
        }
        done = true;
        status = resultStatus;
        value = resultValue;
        detail = resultDetail == null ? "" : resultDetail;
        if (callbacks != null) {
            List<Consumer<SimFuture<T>>> run = callbacks;
            callbacks = null;
            for (Consumer<SimFuture<T>> c : run) {
                c.accept(this);
            }
        }
    }

    /** Whether the call has completed, with any status. */
    public boolean isDone() {
        return done;
    }

    /** Whether the call has completed with {@link Status#OK}; false while pending. */
    public boolean isOk() {
        return done && status == Status.OK;
    }

    /** The status; fails if not done. */
    public Status status() {
        requireDone();
        return status;
    }

    /** The value of an OK result. */
    public T get() {
        requireDone();
        if (status != Status.OK) {
            throw new CallFailedException(status, detail);
        }
        return value;
    }

    /** Why a non-OK result failed, when the kernel or a parser knows more than the status. */
    public String detail() {
        return detail;
    }

    /** Runs {@code callback} in the step that completes this future (at once if done). */
    public SimFuture<T> whenDone(Consumer<SimFuture<T>> callback) {
        if (done) {
            callback.accept(this);
        } else {
            if (callbacks == null) {
                callbacks = new ArrayList<>(2);
            }
            callbacks.add(callback);
        }
        return this;
    }

    private void requireDone() {
        if (!done) {
            throw new IllegalStateException("the call has not completed yet; run the world first"
                    + " (sim.await(future) runs it until the result arrives)");
        }
    }

    @Override
    public String toString() {
        return done ? "SimFuture[" + status + (status == Status.OK ? "=" + value : "") + "]" : "SimFuture[pending]";
    }

    /** A call that completed with a status other than OK. */
    public static final class CallFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** The status the call completed with. */
        private final Status status;

        CallFailedException(Status status, String detail) {
            super("call failed with status " + status + (detail.isEmpty() ? "" : ": " + detail));
            this.status = status;
        }

        /** The status the call completed with (never {@link Status#OK}). */
        public Status status() {
            return status;
        }
    }
}
