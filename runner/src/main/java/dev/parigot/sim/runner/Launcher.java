package dev.parigot.sim.runner;

import dev.parigot.sim.kernel.GuestModule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The runner's command line. {@code unit} runs one unit in this process and prints its gRPC
 * address as the only line of standard output ({@code PARIGOT_UNIT 127.0.0.1:43517}), and its
 * log on standard error; {@code run} starts several units as child processes in dependency order and merges their
 * logs. See docs/runner.md.
 *
 * <pre>
 * java -cp ... dev.parigot.sim.runner.Launcher run \
 *     --unit ledger --node ledger=ledger.wasm \
 *     --unit teller --node teller=teller_fixed.wasm
 * </pre>
 */
@Command(name = "parigot-runner", mixinStandardHelpOptions = true, versionProvider = Launcher.Version.class,
        subcommands = {Launcher.UnitCommand.class, Launcher.RunCommand.class},
        description = "Runs WebAssembly services (ABI v1) as processes that talk gRPC.")
public final class Launcher implements Runnable {
    /** The first line a unit prints: this, then its address. */
    public static final String HANDSHAKE = "PARIGOT_UNIT ";
    private static final String LOGBACK = "dev/parigot/sim/runner/logback-unit.xml";

    /**
     * Runs the command line and exits with its code.
     *
     * @param args {@code unit ...} or {@code run ...}
     */
    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK);
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line, with errors in the arguments, the manifest or the units reported as
     * sentences without a stack trace (exit code 2).
     */
    static CommandLine commandLine() {
        return new CommandLine(new Launcher()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (!(e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof dev.parigot.sim.manifest.ManifestException
                    || e instanceof dev.parigot.sim.kernel.ModuleException
                    || e instanceof java.io.UncheckedIOException)) {
                throw e;
            }
            cmd.getErr().println("parigot-runner: " + e.getMessage());
            return 2;
        });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a command: unit or run");
    }

    /** A duration as the engine's settings take it: 30s, 500ms, 2m, 1h, or ISO-8601 (PT30S). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final java.util.regex.Pattern SHORT = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public Duration convert(String text) {
            String t = text.trim().toLowerCase(java.util.Locale.ROOT);
            java.util.regex.Matcher m = SHORT.matcher(t);
            try {
                if (m.matches()) {
                    long n = Long.parseLong(m.group(1));
                    switch (m.group(2)) {
                        case "ms": return Duration.ofMillis(n);
                        case "s": return Duration.ofSeconds(n);
                        case "m": return Duration.ofMinutes(n);
                        default: return Duration.ofHours(n);
                    }
                }
                return Duration.parse(text.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a duration: write one such as 30s,"
                        + " 500ms, 2m or PT30S");
            }
        }
    }

    /** {@code --version}: the runner's Maven version, from the pom.properties Maven puts into its jar. */
    static final class Version implements CommandLine.IVersionProvider {
        static final String POM_PROPERTIES = "/META-INF/maven/dev.parigot.sim/parigot-sim-runner/pom.properties";

        @Override
        public String[] getVersion() throws IOException {
            try (InputStream in = Launcher.class.getResourceAsStream(POM_PROPERTIES)) {
                if (in != null) {
                    java.util.Properties pom = new java.util.Properties();
                    pom.load(in);
                    return new String[] {"parigot-runner " + pom.getProperty("version", "(no version in "
                            + POM_PROPERTIES + ")")};
                }
            }
            return new String[] {"parigot-runner (version unknown: run from its classes, not from a jar Maven built)"};
        }
    }

    /**
     * The options of one unit: its name, its nodes, their environment and arguments. The lists
     * start null: picocli shares a field's initial value among the instances of a repeated group.
     */
    static final class UnitOptions {
        @Option(names = "--unit", required = true, description = "The unit's name.")
        String name;

        @Option(names = "--node", paramLabel = "NAME=MODULE",
                description = "A node: its name and its .wasm file (repeat for each node).")
        List<String> nodes;

        @Option(names = "--env", paramLabel = "NODE:KEY=VALUE", description = "An environment variable of a node.")
        List<String> env;

        @Option(names = "--arg", paramLabel = "NODE=VALUE", description = "An argument of a node (in order).")
        List<String> args;

        @Option(names = "--java", paramLabel = "NODE=CLASS",
                description = "A Java fake as a node: a class on the class path implementing Supplier<JavaService>.")
        List<String> java;

        UnitSpec toSpec() {
            nodes = nodes == null ? List.of() : nodes;
            env = env == null ? List.of() : env;
            args = args == null ? List.of() : args;
            java = java == null ? List.of() : java;
            Map<String, Path> modules = new LinkedHashMap<>();
            for (String n : nodes) {
                String[] kv = split(n, '=', "--node " + n + ": expected NAME=MODULE");
                if (modules.put(kv[0], Path.of(kv[1]).toAbsolutePath()) != null) {
                    throw new IllegalArgumentException("node " + kv[0] + " is given twice in unit " + name);
                }
            }
            Map<String, Map<String, String>> envs = new LinkedHashMap<>();
            for (String e : env) {
                String[] nodeRest = split(e, ':', "--env " + e + ": expected NODE:KEY=VALUE");
                String[] kv = split(nodeRest[1], '=', "--env " + e + ": expected NODE:KEY=VALUE");
                envs.computeIfAbsent(known(modules, nodeRest[0], "--env " + e), k -> new LinkedHashMap<>())
                        .put(kv[0], kv[1]);
            }
            Map<String, List<String>> argv = new LinkedHashMap<>();
            for (String a : args) {
                String[] kv = split(a, '=', "--arg " + a + ": expected NODE=VALUE");
                argv.computeIfAbsent(known(modules, kv[0], "--arg " + a), k -> new ArrayList<>()).add(kv[1]);
            }
            List<UnitNode> unitNodes = new ArrayList<>();
            modules.forEach((node, module) -> unitNodes.add(new UnitNode(module, node,
                    envs.getOrDefault(node, Map.of()), argv.getOrDefault(node, List.of()))));
            Map<String, String> fakes = new LinkedHashMap<>();
            for (String j : java) {
                String[] kv = split(j, '=', "--java " + j + ": expected NODE=CLASS");
                if (modules.containsKey(kv[0]) || fakes.put(kv[0], kv[1]) != null) {
                    throw new IllegalArgumentException("node " + kv[0] + " is given twice in unit " + name);
                }
            }
            return new UnitSpec(name, unitNodes, fakes);
        }

        private String known(Map<String, Path> modules, String node, String where) {
            if (!modules.containsKey(node)) {
                throw new IllegalArgumentException(where + ": unit " + name + " has no node " + node
                        + "; its nodes: " + modules.keySet());
            }
            return node;
        }
    }

    /** The {@code unit} command's arguments for {@code unit} with these remote services. */
    static List<String> unitArguments(UnitSpec unit, Map<String, String> remotes) {
        List<String> out = new ArrayList<>(List.of("unit", "--unit", unit.name()));
        for (UnitNode node : unit.nodes()) {
            out.add("--node");
            out.add(node.name() + "=" + node.module().toAbsolutePath());
            node.environment().forEach((k, v) -> {
                out.add("--env");
                out.add(node.name() + ":" + k + "=" + v);
            });
            for (String a : node.arguments()) {
                out.add("--arg");
                out.add(node.name() + "=" + a);
            }
        }
        unit.javaServices().forEach((node, className) -> {
            out.add("--java");
            out.add(node + "=" + className);
        });
        remotes.forEach((service, target) -> {
            out.add("--remote");
            out.add(service + "=" + target);
        });
        return out;
    }

    private static String[] split(String text, char at, String error) {
        int i = text.indexOf(at);
        if (i <= 0) {
            throw new IllegalArgumentException(error);
        }
        return new String[] {text.substring(0, i), text.substring(i + 1)};
    }

    /** {@code unit}: runs one unit in this process. */
    @Command(name = "unit", mixinStandardHelpOptions = true, versionProvider = Launcher.Version.class,
            description = "Runs one unit: prints '" + "PARIGOT_UNIT host:port" + "' on standard output, its log on"
                    + " standard error.")
    static final class UnitCommand implements Callable<Integer> {
        @CommandLine.Mixin
        UnitOptions unit = new UnitOptions();

        @Option(names = "--remote", paramLabel = "SERVICE=HOST:PORT",
                description = "Where another unit serves a service this unit's nodes require.")
        List<String> remotes = new ArrayList<>();

        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "The address to listen on (default: ${DEFAULT-VALUE}).")
        String bind;

        @Option(names = "--port", defaultValue = "0", description = "The port (default 0: any free port).")
        int port;

        @Option(names = "--connect-port", defaultValue = "0",
                description = "The port of the Connect (HTTP/1.1) server (default 0: any free port; -1: none).")
        int connectPort;

        @Option(names = "--exit-with-stdin", description = "Stop when standard input ends (the launcher's pipe: a unit does not outlive it).")
        boolean exitWithStdin;

        @Option(names = "--descriptors", paramLabel = "FILE",
                description = "A descriptor set of the services (protoc --descriptor_set_out=FILE --include_imports):"
                        + " Connect then also takes and answers application/json.")
        Path descriptors;

        @Option(names = "--data", paramLabel = "DIR",
                description = "Keep the nodes' storage in files under DIR (one per node), so that it outlives the"
                        + " process (default: in memory).")
        Path data;

        @Option(names = "--compiled", paramLabel = "DIR",
                description = "Keep the JVM classes compiled from the modules in DIR, so that the next start of"
                        + " the unit loads them instead of compiling again (default: compile at every start).")
        Path compiled;

        @Option(names = "--handler-time-max", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long one handler may run before the unit fails as a hang, e.g. 30s or 500ms"
                        + " (default: 5s, as in simulation).")
        Duration handlerTimeMax;

        @Override
        public Integer call() throws Exception {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port " + port + ": a port is 0 to 65535 (0: any free port)");
            }
            if (connectPort < -1 || connectPort > 65535) {
                throw new IllegalArgumentException("--connect-port " + connectPort
                        + ": a port is 0 to 65535 (0: any free port; -1: no Connect)");
            }
            if (compiled != null) {
                GuestModule.cacheCompiledCode(compiled);
            }
            // Standard output holds the handshake line alone: every log line, the guests' included
            // (some are written while the world boots, before the handshake), goes to standard error.
            UnitHost.Builder builder = UnitHost.builder(unit.name).bindHost(bind).port(port)
                    .connect(connectPort >= 0, Math.max(0, connectPort)).log(line -> System.err.println(line));
            if (descriptors != null) {
                builder.descriptors(descriptors);
            }
            if (handlerTimeMax != null) {
                builder.handlerTimeMax(handlerTimeMax);
            }
            if (data != null) {
                builder.data(data);
            }
            UnitSpec spec = unit.toSpec();
            spec.nodes().forEach(builder::node);
            spec.javaServices().forEach((node, className) -> builder.javaService(node, JavaServices.load(className)));
            for (String r : remotes) {
                String[] kv = split(r, '=', "--remote " + r + ": expected SERVICE=HOST:PORT");
                builder.remote(kv[0], kv[1]);
            }
            UnitHost host;
            try {
                host = builder.start();
            } catch (AssertionError e) {
                // The world's boot failed (a missing service, a cycle, a node refusing to start).
                System.err.println("parigot-runner: unit " + unit.name + " cannot boot: " + e.getMessage());
                return 2;
            }
            System.out.println(HANDSHAKE + host.target() + host.connectUrl().map(url -> " connect=" + url).orElse(""));
            System.out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                host.close();
                stopped.countDown();
            }, "parigot-unit-shutdown"));
            if (exitWithStdin) {
                Thread watch = new Thread(() -> {
                    drain(System.in);
                    host.close();
                }, "parigot-unit-stdin");
                watch.setDaemon(true);
                watch.start();
            }
            String failure = host.ended().join();
            return failure == null ? 0 : 1;
        }

        private static void drain(InputStream in) {
            byte[] buffer = new byte[256];
            try {
                while (in.read(buffer) >= 0) {
                    // the launcher writes nothing; the end of the stream is the signal
                }
            } catch (IOException e) {
                // the pipe broke: the launcher is gone
            }
        }
    }

    /** {@code run}: starts several units as child processes. */
    @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Launcher.Version.class,
            description = "Starts units as child processes in dependency order, merges their logs, stops them all when one dies.")
    static final class RunCommand implements Callable<Integer> {
        @ArgGroup(exclusive = false, multiplicity = "0..*")
        List<UnitOptions> units = new ArrayList<>();

        @Option(names = "--manifest", paramLabel = "FILE",
                description = "A deployment manifest (docs/deploy.md): one process per unit it names.")
        Path manifest;

        @CommandLine.Parameters(arity = "0..1", paramLabel = "MANIFEST",
                description = "The deployment manifest, as with --manifest.")
        Path manifestArgument;

        @Option(names = "--descriptors", paramLabel = "FILE",
                description = "A descriptor set of the services, given to every unit: Connect also serves application/json.")
        Path descriptors;

        @Option(names = "--java-in", paramLabel = "UNIT:NODE=CLASS",
                description = "With --manifest: a Java fake (a Supplier<JavaService> class) run as NODE in UNIT.")
        List<String> javaIn = new ArrayList<>();

        @Option(names = "--data", paramLabel = "DIR",
                description = "Keep each unit's storage in files under DIR/<unit>, so that it outlives the processes"
                        + " (default: in memory).")
        Path data;

        @Option(names = "--compiled", paramLabel = "DIR",
                description = "Where the units keep the JVM classes compiled from their modules, so that a unit"
                        + " started again loads them instead of compiling (default: a temporary directory,"
                        + " removed when the launcher stops).")
        Path compiled;

        @Option(names = "--handler-time-max", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long one handler may run before a unit fails as a hang, given to every unit, e.g."
                        + " 30s or 500ms (default: 5s, as in simulation).")
        Duration handlerTimeMax;

        @Option(names = "--restarts", defaultValue = "0", paramLabel = "N",
                description = "Start a unit that dies on its own again, on the same ports, up to N times before"
                        + " stopping the others (default: ${DEFAULT-VALUE}).")
        int restarts;

        @Override
        public Integer call() {
            if (manifestArgument != null) {
                if (manifest != null && !manifest.equals(manifestArgument)) {
                    throw new IllegalArgumentException("two manifests given (" + manifestArgument + " and --manifest "
                            + manifest + "); give one");
                }
                manifest = manifestArgument;
            }
            if ((manifest == null) == units.isEmpty()) {
                throw new IllegalArgumentException(manifest == null
                        ? "run needs units: give a manifest (run FILE, or --manifest FILE), or --unit with its --node options"
                        : "give either --manifest or --unit options, not both");
            }
            if (manifest == null && !javaIn.isEmpty()) {
                throw new IllegalArgumentException("--java-in goes with --manifest; with --unit, use --java");
            }
            List<UnitSpec> specs = manifest != null ? ManifestUnits.specs(manifest, javaIn)
                    : units.stream().map(UnitOptions::toSpec).toList();
            List<String> unitOptions = new ArrayList<>();
            if (descriptors != null) {
                unitOptions.addAll(List.of("--descriptors", descriptors.toAbsolutePath().toString()));
            }
            if (handlerTimeMax != null) {
                unitOptions.addAll(List.of("--handler-time-max", handlerTimeMax.toMillis() + "ms"));
            }
            UnitProcesses.Options options = UnitProcesses.Options.DEFAULT.withUnitOptions(unitOptions)
                    .withData(data).withRestarts(restarts).withCompiled(compiled);
            UnitProcesses processes = UnitProcesses.start(specs, line -> {
                System.out.println(line);
                System.out.flush();
            }, options);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (!processes.outcome().isDone()) {
                    System.out.println("[launcher] stopping every unit");
                    System.out.flush();
                }
                processes.close();
            }, "parigot-launcher-shutdown"));
            String failure = processes.outcome().join();
            if (failure != null) {
                String first = failure.lines().findFirst().orElse(failure);
                System.err.println("parigot-runner: " + first.substring(0, first.indexOf(';') < 0 ? first.length()
                        : first.indexOf(';')) + "; the other units were stopped");
                return 1;
            }
            return 0;
        }
    }
}
