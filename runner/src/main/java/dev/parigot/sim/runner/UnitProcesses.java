package dev.parigot.sim.runner;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * others are stopped and {@link #outcome()} says which died, its exit code and its last lines;
 * with {@link Options#restarts} it is first started again, on the same ports (so the units that
 * call it find it where it was) and with the same data directory, that many times at most.
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
    private final Map<String, Child> children = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final CompletableFuture<String> outcome = new CompletableFuture<>();
    private volatile boolean closing;

    private Options options = Options.DEFAULT;
    /** How often each unit was restarted. */
    private final Map<String, Integer> restarted = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * How the units run, beyond their specs.
     *
     * @param unitOptions extra arguments of every unit's command line (such as {@code --descriptors FILE})
     * @param data a directory under which each unit keeps its storage ({@code DATA/<unit>}), or null: in memory
     * @param restarts how often a unit that dies on its own is started again before the launcher gives up
     * @param compiled where the units keep the JVM classes compiled from their modules, so that a
     *     unit started again (a restart) loads them instead of compiling; null: a temporary
     *     directory of the launcher's, removed when it stops
     */
    public record Options(List<String> unitOptions, Path data, int restarts, Path compiled) {
        /** No extra options, storage in memory, no restarts, compiled code in a temporary directory. */
        public static final Options DEFAULT = new Options(List.of(), null, 0, null);

        public Options {
            unitOptions = List.copyOf(unitOptions);
            if (restarts < 0) {
                throw new IllegalArgumentException("restarts must be 0 or more, got " + restarts);
            }
        }

        /** These options with {@code value} as the extra arguments of every unit. */
        public Options withUnitOptions(List<String> value) {
            return new Options(value, data, restarts, compiled);
        }

        /** These options with storage kept under {@code directory}. */
        public Options withData(Path directory) {
            return new Options(unitOptions, directory, restarts, compiled);
        }

        /** These options with up to {@code count} restarts per unit. */
        public Options withRestarts(int count) {
            return new Options(unitOptions, data, count, compiled);
        }

        /** These options with compiled code kept in {@code directory} (null: a temporary one). */
        public Options withCompiled(Path directory) {
            return new Options(unitOptions, data, restarts, directory);
        }
    }

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
        return start(units, log, Options.DEFAULT.withUnitOptions(unitOptions));
    }

    /**
     * {@link #start(List, Consumer)} with {@code options}: extra arguments for every unit, a data
     * directory, restarts.
     *
     * @param units the units
     * @param log receives every line of every unit's log
     * @param options how they run
     * @return the running units
     */
    public static UnitProcesses start(List<UnitSpec> units, Consumer<String> log, Options options) {
        List<UnitOrder.Planned> plan = UnitOrder.plan(units);
        UnitProcesses processes = new UnitProcesses(Objects.requireNonNull(log, "log"));
        processes.options = Objects.requireNonNull(options, "options");
        processes.compiled = options.compiled() != null ? options.compiled().toAbsolutePath() : temporaryCompiled();
        try {
            Map<String, String> targets = new LinkedHashMap<>();
            for (UnitOrder.Planned unit : plan) {
                Map<String, String> remotes = UnitOrder.remotesOf(unit, plan, targets);
                Child child = processes.launch(unit.spec(), remotes, 0, 0);
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

    /** Where the units keep the classes compiled from their modules (a temporary directory unless the options named one), or null. */
    public Path compiledDirectory() {
        return compiled;
    }

    /** Each unit's gRPC address ({@code host:port}), in start order. */
    public Map<String, String> targets() {
        Map<String, String> targets = new LinkedHashMap<>();
        synchronized (children) {
            children.forEach((name, child) -> targets.put(name, child.target.getNow(null)));
        }
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
        if (options.compiled() == null && compiled != null) { // the temporary directory this launcher made
            deleteQuietly(compiled);
        }
        outcome.complete(null);
    }

    /** Where the units keep compiled code: the option's directory, or a temporary one (null if none could be made). */
    private Path compiled;

    private static Path temporaryCompiled() {
        try {
            return Files.createTempDirectory("parigot-compiled");
        } catch (IOException e) {
            return null; // the units compile at every start, as without a cache
        }
    }

    private static void deleteQuietly(Path directory) {
        try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind: the system's cleaner takes it
        }
    }

    private void stopAll() {
        List<Child> all;
        synchronized (children) {
            all = new ArrayList<>(children.values());
        }
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

    /** How often {@code unit} has been restarted so far. */
    public int restarts(String unit) {
        return restarted.getOrDefault(unit, 0);
    }

    private Child launch(UnitSpec unit, Map<String, String> remotes, int port, int connectPort) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(childClassPath(UnitProcesses.class.getClassLoader(), System.getProperty("java.class.path")));
        command.add("-XX:-DontCompileHugeMethods");
        command.add(Launcher.class.getName());
        command.addAll(Launcher.unitArguments(unit, remotes));
        command.addAll(options.unitOptions());
        if (compiled != null) {
            command.add("--compiled");
            command.add(compiled.toString());
        }
        if (options.data() != null) {
            command.add("--data");
            command.add(options.data().resolve(unit.name()).toAbsolutePath().toString());
        }
        if (port != 0) {
            command.add("--port");
            command.add(Integer.toString(port));
        }
        if (connectPort != 0) {
            command.add("--connect-port");
            command.add(Integer.toString(connectPort));
        }
        command.add("--exit-with-stdin");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start unit " + unit.name() + ": " + e.getMessage(), e);
        }
        Child child = new Child(unit, remotes, process);
        children.put(unit.name(), child);
        Thread reader = new Thread(child::read, "parigot-launcher-" + unit.name());
        reader.setDaemon(true);
        reader.start();
        return child;
    }

    /**
     * The class path a child unit runs with: the runner's own. When the class loader that loaded
     * the runner is a {@link URLClassLoader} (Maven's {@code exec:java}, which runs the launcher
     * inside Maven's JVM, whose {@code java.class.path} is Maven's launcher), its {@code file:}
     * entries; otherwise {@code java.class.path} ({@code java -cp}, {@code java -jar}).
     *
     * @param loader the class loader that loaded the runner
     * @param javaClassPath the JVM's {@code java.class.path}
     * @return the entries, joined with the platform's path separator
     */
    static String childClassPath(ClassLoader loader, String javaClassPath) {
        if (loader instanceof URLClassLoader urls) {
            List<String> entries = new ArrayList<>();
            for (URL url : urls.getURLs()) {
                if ("file".equals(url.getProtocol())) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        // not a local path a child JVM could read: left out
                    }
                }
            }
            if (!entries.isEmpty()) {
                return String.join(File.pathSeparator, entries);
            }
        }
        return javaClassPath;
    }

    /**
     * A unit died on its own: start it again while it has restarts left (a start that fails, such
     * as one whose port another process took, uses one up), else stop the others and report it,
     * once, with the exit code and last lines of its last process.
     */
    private void died(Child child, int exitCode) {
        Child last = child;
        int lastCode = exitCode;
        synchronized (this) {
            if (closing || outcome.isDone() || children.get(child.name) != child) {
                return;
            }
            if (child.target.isDone() && !child.target.isCompletedExceptionally()) {
                String target = child.target.join();
                int port = portOf(target);
                int connectPort = child.connectUrl == null ? 0 : portOf(child.connectUrl);
                while (restarts(child.name) < options.restarts()) {
                    int count = restarted.merge(child.name, 1, Integer::sum);
                    log.accept("[launcher] unit " + child.name + " exited with code " + lastCode + "; restarting it ("
                            + count + " of " + options.restarts() + ") on " + target + "; its last lines:\n"
                            + String.join("\n", last.lastLines().stream().map(l -> "  " + l).toList()));
                    Child again = null;
                    try {
                        again = launch(child.spec, child.remotes, port, connectPort);
                        if (closing) { // closed while it started: stopAll may not have seen it
                            again.process.destroyForcibly();
                            return;
                        }
                        again.awaitTarget();
                        log.accept("[launcher] unit " + child.name + " is back at " + again.target.join());
                        return;
                    } catch (RuntimeException e) {
                        log.accept("[launcher] unit " + child.name + " did not come back: " + e.getMessage());
                        if (again == null) { // its JVM could not even be started
                            break;
                        }
                        last = again;
                        lastCode = exitCodeOf(again.process);
                    }
                }
            }
            closing = true;
        }
        List<String> others;
        synchronized (children) {
            others = children.keySet().stream().filter(n -> !n.equals(child.name)).toList();
        }
        List<String> lines = last.lastLines();
        String report = "unit " + child.name + " exited with code " + lastCode + (lines.isEmpty()
                ? "; it printed no line"
                : "; its last lines:\n" + String.join("\n", lines.stream().map(l -> "  " + l).toList()))
                + (others.isEmpty() ? "" : "\nstopping the other units: " + String.join(", ", others));
        log.accept("[launcher] " + report);
        stopAll();
        outcome.complete(report);
    }

    /** The exit code of a process that failed to start (killed first if it still runs, as after a handshake timeout). */
    private static int exitCodeOf(Process process) {
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** The port of {@code host:port} or {@code http://host:port}. */
    private static int portOf(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private final class Child {
        final String name;
        final UnitSpec spec;
        final Map<String, String> remotes;
        final Process process;
        final CompletableFuture<String> target = new CompletableFuture<>();
        /** The unit's Connect base URL, if its handshake named one (set before target completes). */
        volatile String connectUrl;
        private final Deque<String> last = new ArrayDeque<>();

        Child(UnitSpec spec, Map<String, String> remotes, Process process) {
            this.name = spec.name();
            this.spec = spec;
            this.remotes = Map.copyOf(remotes);
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
