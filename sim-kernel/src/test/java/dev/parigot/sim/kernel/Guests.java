package dev.parigot.sim.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The purpose-built test guests of src/test/guests, compiled once per JVM. */
final class Guests {
    private Guests() {
    }

    static GuestModule load(String name) {
        return GuestModule.fromResource(Guests.class, "/guests/" + name + ".wasm");
    }

    static SimConfig.Builder config(long seed) {
        return SimConfig.builder().seed(seed).echoLog(false);
    }

    /** Decodes the 8-byte little-endian int64 that test guests reply with. */
    static long i64(byte[] payload) {
        if (payload.length != 8) {
            throw new AssertionError("expected an 8-byte reply, got " + payload.length + " bytes");
        }
        return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
