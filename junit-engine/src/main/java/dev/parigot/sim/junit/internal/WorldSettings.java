package dev.parigot.sim.junit.internal;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.scheduler.Seed;
import dev.parigot.sim.scheduler.Strategies;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What shapes the world of a seed besides the seed and the test's code: the strategy, the
 * faults, the step and virtual-time limits, the memory per node and the wall-clock time per
 * handler, how much of the trace and log a failure shows, the module digests a replay expects,
 * and the test's own parameters. A failing seed is recorded
 * with these ({@link RunRecord}) and a remembered one runs under them again; the rest of
 * {@link Settings} only decides which seeds run and how a sweep is reported.
 *
 * @param parameters values for the test's own parameters ({@code sim.parameter}): the annotation's
 *     {@code parameters}, overridden by, and joined with, the configuration parameters outside
 *     {@code parigot.*} and {@code junit.*} that are not system properties (which
 *     {@code sim.parameter} reads by name)
 */
record WorldSettings(String strategy, String faults, String network, long stepsMax, Duration virtualTimeMax,
        long memoryMax,
        Duration handlerTimeMax, int reportSteps, int reportLogLines, Map<String, String> modules,
        Map<String, String> parameters) {

    /** The setting keys of a world, in the order commands and records list them. */
    static final List<String> KEYS = List.of(Settings.STRATEGY, Settings.FAULTS, Settings.NETWORK, Settings.STEPS_MAX,
            Settings.VIRTUAL_TIME_MAX, Settings.MEMORY_MAX, Settings.HANDLER_TIME_MAX, Settings.REPORT_STEPS,
            Settings.REPORT_LOG_LINES, Settings.MODULES);

    static final String MEMORY_MAX_FORMS = "linear memory per WASM node: a size such as 64MiB, 256m, 1g or 1048576"
            + " (bytes); k, m and g mean KiB, MiB and GiB; at least 64KiB, at most 4GiB (default 256MiB)";
    static final String HANDLER_TIME_MAX_FORMS = "wall-clock time one guest export may run before the world fails as"
            + " a hang: a duration such as 5s or 500ms, at least 1ms (default 5s)";
    private static final long MEMORY_MAX_LEAST = 64L << 10;
    private static final long MEMORY_MAX_MOST = 4L << 30;
    private static final Pattern SIZE = Pattern.compile("\\s*(\\d{1,19})\\s*([a-z]*)\\s*");

    /** One {@code node:digest} of {@code parigot.modules}. */
    private static final Pattern MODULE = Pattern.compile("\\s*([^:,\\s]+)\\s*:\\s*([0-9a-fA-F]{8,64})\\s*");

    /** An annotation without attributes. */
    static final ParigotSimTest DEFAULTS_ANNOTATION = Defaults.ANNOTATION;

    /** The engine's defaults: an annotation without attributes and nothing configured. */
    static final WorldSettings DEFAULTS = of(DEFAULTS_ANNOTATION, key -> Optional.empty(), Set.of());

    /** Digits of a module's SHA-256 a record keeps: enough to tell modules apart, short enough to paste. */
    static final int MODULE_DIGITS = 16;

    WorldSettings {
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
    }

    /** Never discovered (an interface); holds the annotation's defaults. */
    private interface Defaults {
        ParigotSimTest ANNOTATION = annotation();

        @ParigotSimTest
        void defaults();

        private static ParigotSimTest annotation() {
            try {
                return Defaults.class.getDeclaredMethod("defaults").getAnnotation(ParigotSimTest.class);
            } catch (NoSuchMethodException e) {
                throw new AssertionError(e);
            }
        }
    }

    /**
     * The annotation's values overridden by {@code config} (blank values already unset);
     * {@code configKeys} are the configuration parameters set, whose non-engine ones become
     * parameters of the world.
     */
    static WorldSettings of(ParigotSimTest a, Function<String, Optional<String>> config, Set<String> configKeys) {
        String given = config.apply(Settings.STRATEGY).orElse(a.strategy()).trim();
        String strategy = given.toLowerCase(Locale.ROOT);
        try {
            Strategies.named(strategy);
        } catch (IllegalArgumentException e) {
            if (isMethodName(given)) {
                strategy = given; // a static method of the test class, resolved when the class is known (config)
            } else {
                throw new SettingsException((config.apply(Settings.STRATEGY).isPresent() ? Settings.STRATEGY + "="
                        + given : "@ParigotSimTest(strategy = \"" + given + "\")") + " is not valid: "
                        + e.getMessage() + ", or the name of a static method of the test class returning a Strategy");
            }
        }
        String faults = config.apply(Settings.FAULTS).orElse(a.faults()).trim();
        long stepsMax = config.apply(Settings.STEPS_MAX).map(v -> Settings.positiveLong(Settings.STEPS_MAX, v))
                .orElseGet(() -> {
                    if (a.stepsMax() < 0) {
                        throw new SettingsException("@ParigotSimTest(stepsMax = " + a.stepsMax() + ") is not valid:"
                                + " use a positive number of steps, or 0 for the default");
                    }
                    return a.stepsMax() == 0 ? SimConfig.STEPS_MAX_DEFAULT : a.stepsMax();
                });
        Duration virtualTimeMax = config.apply(Settings.VIRTUAL_TIME_MAX)
                .map(v -> Settings.duration(Settings.VIRTUAL_TIME_MAX, v))
                .orElseGet(() -> a.virtualTimeMax().isEmpty()
                        ? Duration.ofNanos(SimConfig.VIRTUAL_TIME_NANOS_MAX_DEFAULT)
                        : Settings.duration("@ParigotSimTest(virtualTimeMax)", a.virtualTimeMax()));
        long memoryMax = config.apply(Settings.MEMORY_MAX).map(v -> size(Settings.MEMORY_MAX, v))
                .orElseGet(() -> a.memoryMax().isEmpty() ? SimConfig.MEMORY_BYTES_MAX_DEFAULT
                        : size("@ParigotSimTest(memoryMax)", a.memoryMax()));
        Duration handlerTimeMax = config.apply(Settings.HANDLER_TIME_MAX)
                .map(v -> handlerTime(Settings.HANDLER_TIME_MAX, v))
                .orElseGet(() -> a.handlerTimeMax().isEmpty()
                        ? Duration.ofMillis(SimConfig.HANDLER_WALL_MILLIS_MAX_DEFAULT)
                        : handlerTime("@ParigotSimTest(handlerTimeMax)", a.handlerTimeMax()));
        int reportSteps = reportSize(config, Settings.REPORT_STEPS, "reportSteps", a.reportSteps());
        int reportLogLines = reportSize(config, Settings.REPORT_LOG_LINES, "reportLogLines", a.reportLogLines());
        Map<String, String> modules = config.apply(Settings.MODULES).map(WorldSettings::modules).orElse(Map.of());
        String network = config.apply(Settings.NETWORK).orElse(a.network()).trim();
        if (!network.isEmpty() && !isMethodName(network)) {
            throw new SettingsException((config.apply(Settings.NETWORK).isPresent() ? Settings.NETWORK + "="
                    + network : "@ParigotSimTest(network = \"" + network + "\")") + " is not valid: name a static"
                    + " method of the test class returning a NetworkModel, or leave it empty for the faults' network");
        }
        return new WorldSettings(strategy, faults, network, stepsMax, virtualTimeMax, memoryMax, handlerTimeMax,
                reportSteps, reportLogLines, modules, parameters(a, config, configKeys));
    }

    /** A size in bytes: {@code 65536}, {@code 64KiB}, {@code 256m}, {@code 1g} (binary units), within the bounds. */
    static long size(String key, String text) {
        var m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long unit;
            switch (m.group(2)) {
                case "": case "b": unit = 1; break;
                case "k": case "kb": case "kib": unit = 1L << 10; break;
                case "m": case "mb": case "mib": unit = 1L << 20; break;
                case "g": case "gb": case "gib": unit = 1L << 30; break;
                default: unit = 0;
            }
            if (unit != 0) {
                try {
                    long bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
                    if (bytes >= MEMORY_MAX_LEAST && bytes <= MEMORY_MAX_MOST) {
                        return bytes;
                    }
                    throw new SettingsException(key + "=" + text + " is not valid: " + sizeText(bytes) + " is "
                            + (bytes < MEMORY_MAX_LEAST ? "less than one WASM page (64KiB)" : "more than a 32-bit"
                            + " WASM memory can hold (4GiB)") + "; " + MEMORY_MAX_FORMS);
                } catch (NumberFormatException | ArithmeticException e) {
                    // too large: fall through
                }
            }
        }
        throw new SettingsException(key + "=" + text + " is not valid: " + MEMORY_MAX_FORMS);
    }

    /** The shortest form {@link #size} reads back: 256MiB, 64KiB, 1GiB, or bytes. */
    static String sizeText(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + "GiB";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + "MiB";
        }
        if (bytes != 0 && bytes % (1L << 10) == 0) {
            return bytes / (1L << 10) + "KiB";
        }
        return Long.toString(bytes);
    }

    private static Duration handlerTime(String key, String text) {
        Duration d = Settings.duration(key, text);
        if (d.toMillis() < 1 || d.toNanos() % 1_000_000 != 0) {
            throw new SettingsException(key + "=" + text + " is not valid: " + HANDLER_TIME_MAX_FORMS + ", in whole"
                    + " milliseconds");
        }
        return d;
    }

    private static int reportSize(Function<String, Optional<String>> config, String key, String attribute,
            int annotated) {
        return config.apply(key).map(v -> Settings.nonNegativeInt(key, v)).orElseGet(() -> {
            if (annotated < 0) {
                throw new SettingsException("@ParigotSimTest(" + attribute + " = " + annotated + ") is not valid:"
                        + " use zero or more");
            }
            return annotated;
        });
    }

    private static Map<String, String> modules(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : text.split(",", -1)) {
            var m = MODULE.matcher(part);
            if (!m.matches()) {
                throw new SettingsException(Settings.MODULES + "=" + text + " is not valid: "
                        + Settings.KEYS.get(Settings.MODULES));
            }
            out.put(m.group(1), m.group(2).toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static Map<String, String> parameters(ParigotSimTest a, Function<String, Optional<String>> config,
            Set<String> configKeys) {
        Map<String, String> out = new TreeMap<>();
        for (String p : a.parameters()) {
            int eq = p.indexOf('=');
            String name = eq < 0 ? "" : p.substring(0, eq).trim();
            if (name.isEmpty() || engineKey(name)) {
                throw new SettingsException("@ParigotSimTest(parameters = \"" + p + "\") is not valid: write each"
                        + " parameter as name=value, e.g. parameters = \"raft.wasm=raft-fixed.wasm\"; names starting"
                        + " with parigot. or junit. belong to the engines");
            }
            out.put(name, config.apply(name).orElse(p.substring(eq + 1)));
        }
        for (String key : configKeys) {
            // A system property is not given to the worlds: Surefire passes every one (class paths,
            // its own command line with a timestamp), and Sim.parameter reads a system property of
            // the name it asks for anyway, recording it with the failures that read it.
            if (!engineKey(key) && !out.containsKey(key) && System.getProperty(key) == null) {
                config.apply(key).ifPresent(v -> out.put(key, v));
            }
        }
        return out;
    }

    /** A key the engines own: never a parameter of the test's. */
    static boolean engineKey(String name) {
        return name.startsWith("parigot.") || name.startsWith("junit.");
    }

    /** These settings with the test's parameters replaced by {@code values}. */
    WorldSettings withParameters(Map<String, String> values) {
        return new WorldSettings(strategy, faults, network, stepsMax, virtualTimeMax, memoryMax, handlerTimeMax,
                reportSteps, reportLogLines, modules, values);
    }

    /** Every setting as text, as {@code -D} takes it, by key (modules only when some are expected). */
    Map<String, String> texts() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(Settings.STRATEGY, strategy);
        out.put(Settings.FAULTS, faults);
        if (!network.isEmpty()) {
            out.put(Settings.NETWORK, network);
        }
        out.put(Settings.STEPS_MAX, Long.toString(stepsMax));
        out.put(Settings.VIRTUAL_TIME_MAX, durationText(virtualTimeMax));
        out.put(Settings.MEMORY_MAX, sizeText(memoryMax));
        out.put(Settings.HANDLER_TIME_MAX, durationText(handlerTimeMax));
        out.put(Settings.REPORT_STEPS, Integer.toString(reportSteps));
        out.put(Settings.REPORT_LOG_LINES, Integer.toString(reportLogLines));
        if (!modules.isEmpty()) {
            out.put(Settings.MODULES, modulesText(modules));
        }
        return out;
    }

    /**
     * The settings that decide what the world does, as text: all but how much a failure shows and
     * which modules a replay expects. Equal for two settings, a seed runs the same world under both.
     */
    Map<String, String> worldTexts() {
        Map<String, String> out = texts();
        out.keySet().removeAll(List.of(Settings.REPORT_STEPS, Settings.REPORT_LOG_LINES, Settings.MODULES));
        return out;
    }

    /** These settings showing as much of a failure as {@code other} does. */
    WorldSettings withReportSizesOf(WorldSettings other) {
        return new WorldSettings(strategy, faults, network, stepsMax, virtualTimeMax, memoryMax, handlerTimeMax,
                other.reportSteps, other.reportLogLines, modules, parameters);
    }

    /** The settings whose value differs from {@code base}'s, as text, in {@link #KEYS} order. */
    Map<String, String> differingFrom(WorldSettings base) {
        Map<String, String> mine = texts();
        Map<String, String> theirs = base.texts();
        Map<String, String> out = new LinkedHashMap<>();
        mine.forEach((key, value) -> {
            if (!value.equals(theirs.get(key))) {
                out.put(key, value);
            }
        });
        return out;
    }

    /** {@code node:digest,...}, each digest cut to {@link #MODULE_DIGITS} hex digits. */
    static String modulesText(Map<String, String> digests) {
        List<String> parts = new ArrayList<>();
        digests.forEach((node, digest) -> parts.add(node + ":" + digest.substring(0, Math.min(MODULE_DIGITS,
                digest.length()))));
        return String.join(",", parts);
    }

    /** The shortest form {@link Settings#duration} reads back. */
    static String durationText(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 3_600_000_000_000L == 0) {
            return nanos / 3_600_000_000_000L + "h";
        }
        if (nanos % 60_000_000_000L == 0) {
            return nanos / 60_000_000_000L + "m";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        return d.toString();
    }

    /** The annotation attribute of a world setting, or null (modules have none). */
    static String attribute(String key) {
        switch (key) {
            case Settings.STRATEGY: return "strategy";
            case Settings.FAULTS: return "faults";
            case Settings.NETWORK: return "network";
            case Settings.STEPS_MAX: return "stepsMax";
            case Settings.VIRTUAL_TIME_MAX: return "virtualTimeMax";
            case Settings.MEMORY_MAX: return "memoryMax";
            case Settings.HANDLER_TIME_MAX: return "handlerTimeMax";
            case Settings.REPORT_STEPS: return "reportSteps";
            case Settings.REPORT_LOG_LINES: return "reportLogLines";
            default: return null;
        }
    }

    /** The configuration of every world of a method but its seed; validates the faults against the class. */
    SimConfig config(Class<?> testClass) {
        FaultPlan plan = faultPlan(testClass);
        if (!network.isEmpty() && plan.profile().networkFaults()) {
            throw new SettingsException("network \"" + network + "\" would not be used: the faults \"" + faults
                    + "\" bring network faults, whose network model carries every message; give faults without"
                    + " network faults (a profile method of your own) or leave network empty");
        }
        SimConfig.Builder b = SimConfig.builder()
                .seed(Seed.FIRST)
                .strategy(strategyFactory(testClass))
                .stepsMax(stepsMax)
                .virtualTimeMax(virtualTimeMax)
                .memoryBytesMax(memoryMax)
                .handlerWallMillisMax(handlerTimeMax.toMillis())
                .faults(plan.profile())
                .swarm(plan.swarm())
                .network(networkModel(testClass))
                .failureStepsShown(reportSteps)
                .failureLogLinesShown(reportLogLines)
                .echoLog(false);
        parameters.forEach(b::parameter);
        modules.forEach(b::expectModule);
        return b.build();
    }

    /** Whether {@code text} can name a Java method. */
    private static boolean isMethodName(String text) {
        if (text.isEmpty() || !Character.isJavaIdentifierStart(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            if (!Character.isJavaIdentifierPart(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The strategy of each world: a built-in one by name, or the test class's static method of
     * that name, called once per world (a strategy keeps per-world state).
     */
    java.util.function.Supplier<dev.parigot.sim.scheduler.Strategy> strategyFactory(Class<?> testClass) {
        try {
            Strategies.named(strategy);
            String name = strategy;
            return () -> Strategies.named(name);
        } catch (IllegalArgumentException notBuiltIn) {
            // a method of the test class
        }
        Factory f = factory(testClass, strategy, dev.parigot.sim.scheduler.Strategy.class,
                problem -> new SettingsException("strategy \"" + strategy + "\" is not valid: " + problem + "; use one"
                        + " of " + Strategies.NAMES + ", or the name of a static method of the test class returning a"
                        + " Strategy"));
        // Called once already, so that a method that throws or returns null fails the run with its reason.
        if (f.made() == null) {
            throw new SettingsException("strategy \"" + strategy + "\" is not valid: " + testClass.getSimpleName()
                    + "." + strategy + "() returned null; return a new Strategy for each world");
        }
        Method m = f.method();
        return () -> {
            try {
                Object made = m.invoke(null);
                if (made == null) {
                    throw new IllegalStateException(testClass.getSimpleName() + "." + strategy
                            + "() returned null; return a new Strategy for each world");
                }
                return (dev.parigot.sim.scheduler.Strategy) made;
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(testClass.getSimpleName() + "." + strategy + "() threw "
                        + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot call " + testClass.getSimpleName() + "." + strategy
                        + "(): " + e, e);
            }
        };
    }

    /**
     * The network of the worlds when the faults bring none of their own: the test class's static
     * method named by {@link #network}, called once (a network model draws from each world's
     * choices, so one model serves every world); without one, the default latency.
     */
    dev.parigot.sim.faults.NetworkModel networkModel(Class<?> testClass) {
        if (network.isEmpty()) {
            return dev.parigot.sim.faults.NetworkModel.defaultModel();
        }
        java.util.function.Function<String, SettingsException> refuse = problem -> new SettingsException("network \""
                + network + "\" is not valid: " + problem + "; name a static method of the test class returning a"
                + " NetworkModel, or leave it empty for the faults' network");
        Object model = factory(testClass, network, dev.parigot.sim.faults.NetworkModel.class, refuse).made();
        if (model == null) {
            throw refuse.apply(testClass.getSimpleName() + "." + network + "() returned null");
        }
        return (dev.parigot.sim.faults.NetworkModel) model;
    }

    /** A static method of the test class that makes one of a run's parts, and what its first call made. */
    private record Factory(Method method, Object made) {
    }

    /**
     * The test class's static method {@code name}() returning a {@code type}, made callable and
     * called once; a missing or unsuitable method, or one that throws, is refused through
     * {@code refuse}, which turns the sentence saying what is wrong into the setting's error.
     */
    private static Factory factory(Class<?> testClass, String name, Class<?> type,
            java.util.function.Function<String, SettingsException> refuse) {
        String problem;
        try {
            Method m = testClass.getDeclaredMethod(name);
            if (!Modifier.isStatic(m.getModifiers()) || !type.isAssignableFrom(m.getReturnType())) {
                problem = "method " + name + " of " + testClass.getSimpleName() + " must be static and return a "
                        + type.getSimpleName();
            } else {
                m.setAccessible(true);
                return new Factory(m, m.invoke(null));
            }
        } catch (NoSuchMethodException e) {
            problem = testClass.getSimpleName() + " has no method " + name + "() without parameters";
        } catch (InvocationTargetException e) {
            problem = testClass.getSimpleName() + "." + name + "() threw " + e.getCause();
        } catch (ReflectiveOperationException e) {
            problem = "cannot call " + testClass.getSimpleName() + "." + name + "(): " + e;
        }
        throw refuse.apply(problem);
    }

    /** The faults of a run: a profile, and whether each seed swarms over it. */
    record FaultPlan(FaultProfile profile, boolean swarm) {
    }

    /** Resolves {@link #faults} against the test class (a named static method may supply the profile). */
    FaultPlan faultPlan(Class<?> testClass) {
        String spec = faults;
        boolean swarm = false;
        if (spec.equals("swarm")) {
            return new FaultPlan(FaultProfile.defaults(), true);
        }
        if (spec.startsWith("swarm:")) {
            swarm = true;
            spec = spec.substring("swarm:".length()).trim();
        }
        switch (spec) {
            case "none":
                return new FaultPlan(FaultProfile.NONE, swarm);
            case "default":
                return new FaultPlan(FaultProfile.defaults(), swarm);
            default:
                break;
        }
        Object profile = factory(testClass, spec, FaultProfile.class, problem -> new SettingsException("faults \""
                + faults + "\" is not valid: " + problem + "; use none, default, swarm, or the name of a static method"
                + " of the test class returning a FaultProfile (swarm:<method> to swarm over it)")).made();
        return new FaultPlan((FaultProfile) profile, swarm);
    }
}
