package dev.parigot.sim.kernel.internal.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recovers the WASM functions on the stack from a failure's Java stack trace: the runtime compiler
 * turns WASM function N into a JVM method {@code func_N}, so the trace names them in order.
 */
public final class WasmStack {
    private static final Pattern COMPILED = Pattern.compile("func_(\\d+)");
    private static final int FRAMES_SHOWN = 12;

    private WasmStack() {
    }

    /** Innermost first, "a <- b <- c"; empty if the engine left no trace of the functions. */
    public static String of(GuestCode module, Throwable failure) {
        List<String> names = new ArrayList<>();
        for (Throwable t = failure; t != null && names.isEmpty(); t = t.getCause() == t ? null : t.getCause()) {
            for (StackTraceElement e : t.getStackTrace()) {
                Matcher m = COMPILED.matcher(e.getMethodName());
                if (m.matches()) {
                    String name = module.functionName(Integer.parseInt(m.group(1)));
                    if (names.isEmpty() || !names.get(names.size() - 1).equals(name)) {
                        names.add(name);
                    }
                }
            }
        }
        if (names.size() > FRAMES_SHOWN) {
            int hidden = names.size() - FRAMES_SHOWN;
            List<String> shown = new ArrayList<>(names.subList(0, FRAMES_SHOWN - 2));
            shown.add("... " + hidden + " more ...");
            shown.addAll(names.subList(names.size() - 2, names.size()));
            names = shown;
        }
        return String.join(" <- ", names);
    }
}
