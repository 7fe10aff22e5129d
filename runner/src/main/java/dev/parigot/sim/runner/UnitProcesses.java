package dev.parigot.sim.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Units as child processes: one JVM per unit (the same class path, {@link Launcher}'s
 * {@code unit} command), started in dependency order, each told the addresses of the units
 * started before it. The first line a child prints is its address ({@code PARIGOT_UNIT host:port});
 * every later line is its log, passed on prefixed with the unit's name. When a unit dies, the
 * others are stopped and {@link #outcome()} says which died, its exit code and its last lines.
 *
 * <pre>{@code
 * try (UnitProcesses units = UnitProcesses.start(List.of(ledgerUnit, tellerUnit), System.out::println)) {
 *     String teller = units.targets().get("teller");    // 127.0.0.1:40123
 *     String failure = units.outcome().join();           // null once closed; else why a unit died
 * }
 * }</pre>
 */
public final class UnitProcesses implements AutoCloseable {
    /** How long a unit may take to print its address. */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(90);
    /** The log lines of each unit kept for the report of its death. */
    static final int LAST_LINES_KEPT = 20;

    private final Consumer<String> log;
    private final Map<String, Child> children = new LinkedHashMap<>();
    private final CompletableFuture<String> outcome = new CompletableFuture<>();
    private volatile boolean closing;

    private List<String> unitOptions = List.of();

    private UnitProcesses(Consumer<String> log) {
        this.log = log;
    }

    /**
     * Plans the order, then starts every unit and waits for each one's address before starting
     * the next. Nothing starts if the plan fails (a required service no unit exports, a cycle).
     *
     * @param units the units
     * @param log receives every line of every unit's log, prefixed with {@code [unit]}, and the launcher's own
     * @return the running units
     * @throws IllegalArgumentException if the units cannot be ordered
     * @throws IllegalStateException if a unit does not start (with its exit code and last lines)
     */
    public static UnitProcesses start(List<UnitSpec> units, Consumer<String> log) {
        return start(units, log, List.of());
    }

    /**
     * {@link #start(List, Consumer)} with options every unit's {@code unit} command gets too (such
     * as {@code --descriptors FILE}).
     *
     * @param units the units
     * @param log receives every line of every unit's log
     * @param unitOptions extra arguments of every unit's command line
     * @return the running units
     */
    public static UnitProcesses start(List<UnitSpec> units, Consumer<String> log, List<String> unitOptions) {
        List<UnitOrder.Planned> plan = UnitOrder.plan(units);
        UnitProcesses processes = new UnitProcesses(Objects.requireNonNull(log, "log"));
        processes.unitOptions = List.copyOf(unitOptions);
        try {
            Map<String, String> targets = new LinkedHashMap<>();
            for (UnitOrder.Planned unit : plan) {
                Map<String, String> remotes = UnitOrder.remotesOf(unit, plan, targets);
                Child child = processes.launch(unit.spec(), remotes);
                targets.put(unit.spec().name(), child.awaitTarget());
                log.accept("[launcher] unit " + unit.spec().name() + " serves " + unit.exports() + " at "
                        + child.target.join() + (child.connectUrl == null ? "" : " (gRPC) and " + child.connectUrl
                        + " (Connect)"));
            }
        } catch (RuntimeException e) {
            processes.close();
            throw e;
        }
        return processes;
    }

    /** Each unit's gRPC address ({@code host:port}), in start order. */
    public Map<String, String> targets() {
        Map<String, String> targets = new LinkedHashMap<>();
        children.forEach((name, child) -> targets.put(name, child.target.getNow(null)));
        return targets;
    }

    /**
     * The Connect (HTTP/1.1) base URL of {@code unit}, as its handshake line gave it.
     *
     * @param unit a unit's name
     * @return its URL, e.g. {@code http://127.0.0.1:45961}
     * @throws IllegalArgumentException if there is no such unit, or it serves no Connect
     */
    public String connectUrl(String unit) {
        Child child = children.get(unit);
        if (child == null || child.connectUrl == null) {
            throw new IllegalArgumentException(child == null ? "no unit " + unit + "; units: " + children.keySet()
                    : "unit " + unit + " serves no Connect");
        }
        return child.connectUrl;
    }

    /** The process of {@code unit}. */
    public ProcessHandle process(String unit) {
        Child child = children.get(unit);
        if (child == null) {
            throw new IllegalArgumentException("no unit " + unit + "; units: " + children.keySet());
        }
        return child.process.toHandle();
    }

    /**
     * Completes with null once {@link #close()} stopped the units, or with a report when a unit
     * died on its own (the others are stopped first): which unit, its exit code, its last lines.
     */
    public CompletableFuture<String> outcome() {
        return outcome;
    }

    /** Stops every unit (terminate, then kill after five seconds). */
    @Override
    public void close() {
        closing = true;
        stopAll();
        outcome.complete(null);
    }

    private void stopAll() {
        List<Child> all = new ArrayList<>(children.values());
        for (Child c : all) {
            c.process.destroy();
        }
        for (Child c : all) {
            try {
                if (!c.process.waitFor(5, TimeUnit.SECONDS)) {
                    c.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                c.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private Child launch(UnitSpec unit, Map<String, String> remotes) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-XX:-DontCompileHugeMethods");
        command.add(Launcher.class.getName());
        command.addAll(Launcher.unitArguments(unit, remotes));
        command.addAll(unitOptions);
        command.add("--exit-with-stdin");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start unit " + unit.name() + ": " + e.getMessage(), e);
        }
        Child child = new Child(unit.name(), process);
        children.put(unit.name(), child);
        Thread reader = new Thread(child::read, "parigot-launcher-" + unit.name());
        reader.setDaemon(true);
        reader.start();
        return child;
    }

    /** A unit died on its own: stop the others and report it, once. */
    private void died(Child child, int exitCode) {
        synchronized (this) {
            if (closing || outcome.isDone()) {
                return;
            }
            closing = true;
        }
        List<String> others = children.keySet().stream().filter(n -> !n.equals(child.name)).toList();
        String report = "unit " + child.name + " exited with code " + exitCode + "; its last lines:\n"
                + String.join("\n", child.lastLines().stream().map(l -> "  " + l).toList())
                + (others.isEmpty() ? "" : "\nstopping the other units: " + String.join(", ", others));
        log.accept("[launcher] " + report);
        stopAll();
        outcome.complete(report);
    }

    private final class Child {
        final String name;
        final Process process;
        final CompletableFuture<String> target = new CompletableFuture<>();
        /** The unit's Connect base URL, if its handshake named one (set before target completes). */
        volatile String connectUrl;
        private final Deque<String> last = new ArrayDeque<>();

        Child(String name, Process process) {
            this.name = name;
            this.process = process;
        }

        synchronized List<String> lastLines() {
            return List.copyOf(last);
        }

        private synchronized void keep(String line) {
            if (last.size() == LAST_LINES_KEPT) {
                last.removeFirst();
            }
            last.addLast(line);
        }

        /** Reads the handshake, then passes every line on; at the end of the output, the unit is gone. */
        void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!target.isDone()) {
                        if (line.startsWith(Launcher.HANDSHAKE)) {
                            // "PARIGOT_UNIT host:port [connect=http://host:port]": the gRPC address first.
                            String[] words = line.substring(Launcher.HANDSHAKE.length()).trim().split(" ");
                            if (words.length > 1 && words[1].startsWith("connect=")) {
                                connectUrl = words[1].substring("connect=".length());
                            }
                            target.complete(words[0]);
                            continue;
                        }
                        keep(line);
                        log.accept("[" + name + "] " + line);
                        continue;
                    }
                    keep(line);
                    log.accept("[" + name + "] " + line);
                }
            } catch (IOException e) {
                keep("(reading its output failed: " + e.getMessage() + ")");
            }
            int code;
            try {
                code = process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            target.completeExceptionally(new IllegalStateException("unit " + name + " exited with code " + code
                    + " before it printed its address; its last lines:\n"
                    + String.join("\n", lastLines().stream().map(l -> "  " + l).toList())));
            died(this, code);
        }

        String awaitTarget() {
            try {
                return target.get(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("unit " + name + " printed no address within "
                        + HANDSHAKE_TIMEOUT.toSeconds() + " s; its last lines:\n"
                        + String.join("\n", lastLines().stream().map(l -> "  " + l).toList()));
            } catch (ExecutionException e) {
                throw (RuntimeException) e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while unit " + name + " started");
            }
        }
    }
}
