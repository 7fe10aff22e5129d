package dev.parigot.sim.kernel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A test guest written as WASM bytes here (no C toolchain needed), for the imports the compiled
 * test guests do not exercise: storage through the kernel's Storage service, buggify, assert,
 * now_ns, and state kept in a global. It exports {@code test.v1.Handmade}, requires
 * {@code parigot.storage.v1.Storage}, and dispatches on the first byte of the method name:
 * <ul>
 *   <li>{@code Write}, {@code Read}, {@code Sync}, {@code Delete}: forwards the request to Storage
 *       and answers with Storage's result (one storage call at a time);</li>
 *   <li>{@code Buggify}: the payload is the site; answers the int64 buggify returned;</li>
 *   <li>{@code Now}: answers now_ns as an int64;</li>
 *   <li>{@code Count}: adds one to a counter in a global and answers it as an int64;</li>
 *   <li>{@code Assert}: payload = kind byte, condition byte, message; calls assert, answers OK;</li>
 *   <li>anything else: UNIMPLEMENTED.</li>
 * </ul>
 * Every event's bytes go to one fixed block at {@value #BLOCK}: the guest copies nothing.
 */
final class HandmadeGuest {
    static final String SERVICE = "test.v1.Handmade";
    static final int BLOCK = 4096;
    private static final String STORAGE = "parigot.storage.v1.Storage";
    private static final int SERVICE_AT = 64;
    private static final int STORAGE_AT = 96;
    private static final int SCRATCH = 8;

    private static final byte I32 = 0x7f;
    private static final byte I64 = 0x7e;

    private HandmadeGuest() {
    }

    static GuestModule module() {
        return GuestModule.load("handmade", bytes());
    }

    static byte[] bytes() {
        Out module = new Out();
        module.raw(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);

        Out types = new Out();
        types.u32(11);
        types.functype(new byte[] {I32, I32}, new byte[] {I32});                // 0 export/require/buggify
        types.functype(new byte[] {I32, I32, I32, I32, I32, I32}, new byte[] {I64}); // 1 call
        types.functype(new byte[] {I64, I32, I32, I32}, new byte[] {I32});      // 2 reply
        types.functype(new byte[] {}, new byte[] {I64});                        // 3 now_ns
        types.functype(new byte[] {I32, I32, I32, I32}, new byte[] {});         // 4 assert
        types.functype(new byte[] {}, new byte[] {});                           // 5 parigot_abi_v1
        types.functype(new byte[] {I32}, new byte[] {I32});                     // 6 parigot_alloc
        types.functype(new byte[] {}, new byte[] {I32});                        // 7 start, ready
        types.functype(new byte[] {I64, I32, I32, I32, I32, I32, I32}, new byte[] {}); // 8 on_call
        types.functype(new byte[] {I64, I32, I32, I32}, new byte[] {});         // 9 on_result
        types.functype(new byte[] {I64}, new byte[] {});                        // 10 on_timer
        module.section(1, types);

        // Imported functions 0..6.
        Out imports = new Out();
        String[] names = {"export_service", "require_service", "call", "reply", "now_ns", "buggify", "assert"};
        int[] typeOf = {0, 0, 1, 2, 3, 0, 4};
        imports.u32(names.length);
        for (int i = 0; i < names.length; i++) {
            imports.name("parigot");
            imports.name(names[i]);
            imports.raw(0x00);
            imports.u32(typeOf[i]);
        }
        module.section(2, imports);

        // Defined functions 7..13.
        Out functions = new Out();
        int[] definedTypes = {5, 6, 7, 7, 8, 9, 10};
        functions.u32(definedTypes.length);
        for (int t : definedTypes) {
            functions.u32(t);
        }
        module.section(3, functions);

        Out memory = new Out();
        memory.raw(0x01, 0x00);
        memory.u32(2); // 128 KiB
        module.section(5, memory);

        Out globals = new Out();
        globals.u32(2);
        globals.raw(I64, 0x01, 0x42, 0x00, 0x0b); // 0: the call waiting for Storage's answer
        globals.raw(I32, 0x01, 0x41, 0x00, 0x0b); // 1: the counter
        module.section(6, globals);

        Out exports = new Out();
        String[] exported = {"parigot_abi_v1", "parigot_alloc", "parigot_start", "parigot_ready", "parigot_on_call",
            "parigot_on_result", "parigot_on_timer"};
        exports.u32(exported.length + 1);
        exports.name("memory");
        exports.raw(0x02);
        exports.u32(0);
        for (int i = 0; i < exported.length; i++) {
            exports.name(exported[i]);
            exports.raw(0x00);
            exports.u32(7 + i);
        }
        module.section(7, exports);

        Out code = new Out();
        code.u32(7);
        code.body(new Out().raw(0x00).raw(0x0b)); // parigot_abi_v1
        code.body(new Out().raw(0x00).i32(BLOCK).raw(0x0b)); // parigot_alloc: always the one block
        code.body(new Out().raw(0x00) // parigot_start
                .i32(SERVICE_AT).i32(SERVICE.length()).call(0).raw(0x1a)
                .i32(STORAGE_AT).i32(STORAGE.length()).call(1).raw(0x1a)
                .i32(0).raw(0x0b));
        code.body(new Out().raw(0x00).i32(0).raw(0x0b)); // parigot_ready
        code.body(onCall());
        // parigot_on_result(call, status, ptr, len): answer the waiting call with Storage's answer.
        code.body(new Out().raw(0x00)
                .raw(0x23, 0x00).local(1).local(2).local(3).call(3).raw(0x1a)
                .raw(0x0b));
        code.body(new Out().raw(0x00).raw(0x0b)); // parigot_on_timer
        module.section(10, code);

        Out data = new Out();
        data.u32(2);
        data.raw(0x00).i32(SERVICE_AT).raw(0x0b).name(SERVICE);
        data.raw(0x00).i32(STORAGE_AT).raw(0x0b).name(STORAGE);
        module.section(11, data);
        return module.toByteArray();
    }

    /** parigot_on_call(call i64, svc, svc_len, method, method_len, payload, payload_len); local 7 = method[0]. */
    private static Out onCall() {
        Out f = new Out();
        f.raw(0x01, 0x01, I32); // one local i32
        f.local(3).raw(0x2d, 0x00, 0x00).raw(0x21, 0x07); // c = method[0]

        // Write, Read, Sync, Delete: forward to Storage and remember whom to answer.
        f.isChar('W').isChar('R').raw(0x72).isChar('S').raw(0x72).isChar('D').raw(0x72);
        f.raw(0x04, 0x40);
        f.local(0).raw(0x24, 0x00);
        f.i32(STORAGE_AT).i32(STORAGE.length()).local(3).local(4).local(5).local(6).call(2).raw(0x1a);
        f.raw(0x0f).raw(0x0b);

        // Buggify: site = payload.
        f.isChar('B').raw(0x04, 0x40);
        f.i32(SCRATCH).local(5).local(6).call(5).raw(0xad).raw(0x37, 0x03, 0x00);
        f.replyScratch().raw(0x0f).raw(0x0b);

        // Now.
        f.isChar('N').raw(0x04, 0x40);
        f.i32(SCRATCH).call(4).raw(0x37, 0x03, 0x00);
        f.replyScratch().raw(0x0f).raw(0x0b);

        // Count: the counter lives in the instance, so a crash forgets it.
        f.isChar('C').raw(0x04, 0x40);
        f.raw(0x23, 0x01).i32(1).raw(0x6a).raw(0x24, 0x01);
        f.i32(SCRATCH).raw(0x23, 0x01).raw(0xad).raw(0x37, 0x03, 0x00);
        f.replyScratch().raw(0x0f).raw(0x0b);

        // Assert: kind = payload[0], cond = payload[1], message = payload[2..].
        f.isChar('A').raw(0x04, 0x40);
        f.local(5).raw(0x2d, 0x00, 0x00).local(5).raw(0x2d, 0x00, 0x01)
                .local(5).i32(2).raw(0x6a).local(6).i32(2).raw(0x6b).call(6);
        f.local(0).i32(0).i32(0).i32(0).call(3).raw(0x1a).raw(0x0f).raw(0x0b);

        // Anything else: UNIMPLEMENTED.
        f.local(0).i32(12).i32(0).i32(0).call(3).raw(0x1a);
        f.raw(0x0b);
        return f;
    }

    /** A growing byte buffer with the encodings the module needs. */
    private static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Out raw(int... values) {
            for (int v : values) {
                bytes.write(v);
            }
            return this;
        }

        Out u32(long value) {
            long v = value;
            do {
                int b = (int) (v & 0x7f);
                v >>>= 7;
                bytes.write(v != 0 ? b | 0x80 : b);
            } while (v != 0);
            return this;
        }

        Out s32(int value) {
            int v = value;
            while (true) {
                int b = v & 0x7f;
                v >>= 7;
                boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
                bytes.write(done ? b : b | 0x80);
                if (done) {
                    return this;
                }
            }
        }

        Out i32(int value) {
            return raw(0x41).s32(value);
        }

        Out local(int index) {
            return raw(0x20).u32(index);
        }

        Out call(int function) {
            return raw(0x10).u32(function);
        }

        /** Pushes (method[0] == c). */
        Out isChar(char c) {
            return local(7).i32(c).raw(0x46);
        }

        /** reply(call, OK, SCRATCH, 8), result dropped. */
        Out replyScratch() {
            return local(0).i32(0).i32(SCRATCH).i32(8).call(3).raw(0x1a);
        }

        Out name(String text) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            u32(b.length);
            bytes.write(b, 0, b.length);
            return this;
        }

        Out functype(byte[] params, byte[] results) {
            raw(0x60).u32(params.length);
            bytes.write(params, 0, params.length);
            u32(results.length);
            bytes.write(results, 0, results.length);
            return this;
        }

        Out section(int id, Out content) {
            raw(id).u32(content.bytes.size());
            bytes.writeBytes(content.bytes.toByteArray());
            return this;
        }

        Out body(Out function) {
            u32(function.bytes.size());
            bytes.writeBytes(function.bytes.toByteArray());
            return this;
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
