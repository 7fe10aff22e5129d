package dev.parigot.sim.junit.internal;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.scheduler.Seed;
import dev.parigot.sim.scheduler.Strategies;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one test method runs: its annotation, overridden by system properties and JUnit
 * configuration parameters ({@code junit-platform.properties}). Every key, what it means and
 * the forms it accepts are listed in {@link #KEYS}; an unknown {@code parigot.*} key or a
 * malformed value is an error that names the key and the accepted forms.
 */
final class Settings {
    static final String SEEDS = "parigot.seeds";
    static final String SEED = "parigot.seed";
    static final String SEED_FIRST = "parigot.seed.first";
    static final String STRATEGY = "parigot.strategy";
    static final String FAULTS = "parigot.faults";
    static final String TIME_BUDGET = "parigot.time.budget";
    static final String NETWORK = "parigot.network";
    static final String PARALLELISM = "parigot.parallelism";
    static final String SHARD = "parigot.shard";
    static final String STOP = "parigot.stop";
    static final String DETERMINISM = "parigot.determinism";
    static final String STEPS_MAX = "parigot.steps.max";
    static final String VIRTUAL_TIME_MAX = "parigot.virtual.time.max";
    static final String PROGRESS = "parigot.progress";
    static final String REGRESSIONS = "parigot.regressions";
    static final String REPORTS = "parigot.reports";
    static final String COMPILED = "parigot.compiled";
    static final String COMPILED_DEFAULT = "target/parigot-compiled";
    static final String FAILURES_REPORTED = "parigot.failures.reported";
    static final String REPORT_STEPS = "parigot.report.steps";
    static final String REPORT_LOG_LINES = "parigot.report.log.lines";
    static final String MODULES = "parigot.modules";
    static final String LOG_ECHO = "parigot.log.echo";
    static final String MEMORY_MAX = "parigot.memory.max";
    static final String HANDLER_TIME_MAX = "parigot.handler.time.max";
    static final String SNAPSHOTS = "parigot.snapshots";
    static final String SHRINK = "parigot.shrink";
    static final String REPLAY = "parigot.replay";
    static final String PROFILE = "parigot.profile";
    static final String DESCRIPTORS = "parigot.descriptors";
    /**
     * Where protobuf-maven-plugin writes descriptor sets ({@code writeDescriptorSet}) for its
     * {@code compile} and its {@code test-compile} goal: read when none are named.
     */
    static final List<Path> DESCRIPTORS_DEFAULT = List.of(
            Path.of("target", "generated-resources", "protobuf", "descriptor-sets"),
            Path.of("target", "generated-test-resources", "protobuf", "descriptor-sets"));

    /** The default budget of shrinking a method's first reported failure. */
    static final Duration SHRINK_DEFAULT = Duration.ofSeconds(5);

    /**
     * Named sets of defaults: under {@code parigot.profile=<name>} each of its settings holds
     * unless set explicitly (a system property or configuration parameter wins; the profile wins
     * over the annotation).
     */
    static final Map<String, Map<String, String>> PROFILES = Map.of(
            "nightly", nightlyProfile());

    private static Map<String, String> nightlyProfile() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(SEEDS, "1000000");
        p.put(FAULTS, "swarm");
        p.put(STRATEGY, "mix");
        p.put(TIME_BUDGET, "1h");
        p.put(PROGRESS, "60");
        p.put(SHRINK, "60s");
        p.put(STOP, "never");
        return java.util.Collections.unmodifiableMap(p);
    }

    /** Set by Kubernetes in each pod of an Indexed Job: the pod's index, 0 to completions - 1. */
    static final String JOB_COMPLETION_INDEX = "JOB_COMPLETION_INDEX";
    /** The number of shards when the index comes from {@link #JOB_COMPLETION_INDEX}: the Job's completions. */
    static final String PARIGOT_SHARDS = "PARIGOT_SHARDS";

    /** Every key with its accepted forms, for help and for errors. */
    static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put(SEEDS, "how many seeds to sweep: a positive integer, e.g. 100000");
        KEYS.put(LOG_ECHO, "send the worlds' log lines through SLF4J as they are written: 'auto' (the default: only"
                + " when one seed runs, as in a replay), 'on' or 'off'");
        KEYS.put(SEED, "replay only these seeds: seeds as printed, comma-separated, e.g. 0x5eed00000000002a");
        KEYS.put(SEED_FIRST, "the first seed of a sweep: a seed (0x... or decimal), or 'random' for a new one");
        KEYS.put(STRATEGY, "the scheduling strategy: " + String.join(" or ", Strategies.NAMES) + ", or the name of a"
                + " static method of the test class returning a Strategy");
        KEYS.put(FAULTS, "the faults to inject: none, default, swarm, or the name of a static method of the test"
                + " class returning a FaultProfile (swarm:<method> to swarm over it)");
        KEYS.put(NETWORK, "the network of the worlds when the faults bring none: the name of a static method of the"
                + " test class returning a NetworkModel");
        KEYS.put(TIME_BUDGET, "wall-clock budget per test method: a duration such as 30s, 10m, 2h, 500ms or PT30S");
        KEYS.put(PARALLELISM, "threads running seeds: a positive integer, or 'cores' (the default)");
        KEYS.put(SHARD, "this machine's part of a sweep split n ways: i/n with 1 <= i <= n, e.g. 2/4 (when unset, the"
                + " environment variables " + JOB_COMPLETION_INDEX + " (0 to n - 1, as a Kubernetes Indexed Job sets it)"
                + " and " + PARIGOT_SHARDS + " (n) give it)");
        KEYS.put(STOP, "when to stop: 'first' (at the first failing seed) or 'never' (run every seed, the default)");
        KEYS.put(DETERMINISM, "re-run seeds to check determinism: 'failures' (the default), 'all' or 'off'");
        KEYS.put(STEPS_MAX, "steps per world: a positive integer");
        KEYS.put(VIRTUAL_TIME_MAX, "virtual time per world: a duration such as 10s or 500ms");
        KEYS.put(MEMORY_MAX, WorldSettings.MEMORY_MAX_FORMS);
        KEYS.put(HANDLER_TIME_MAX, WorldSettings.HANDLER_TIME_MAX_FORMS);
        KEYS.put(SNAPSHOTS, "boot guest nodes from their module's boot image instead of running _initialize and"
                + " parigot_start for every seed: 'on' (the default) or 'off'; traces are the same either way");
        KEYS.put(SHRINK, "shrink the first failing seed each method reports to a smaller run that fails the same way:"
                + " a wall-clock budget such as 5s (the default), 30s or 2m, or 'off'");
        KEYS.put(REPLAY, "replay a shrunk run: the path of the .choices file a failure report printed; the seed of "
                + SEED + " runs with its world's choices read from the file");
        KEYS.put(PROFILE, "a named set of defaults that explicit settings override: 'nightly' (a long sweep: "
                + "1,000,000 seeds, the method's faults swarmed (none: swarm; a profile p: swarm:p), the mix strategy,"
                + " a 1h time budget, progress every 60 s, 60 s of shrinking)");
        KEYS.put(DESCRIPTORS, "protobuf descriptor sets that decode payloads in the HTML timelines: paths of files"
                + " as protoc --descriptor_set_out --include_imports writes them, comma-separated (default: every file"
                + " in " + DESCRIPTORS_DEFAULT.get(0) + " and " + DESCRIPTORS_DEFAULT.get(1) + ", where"
                + " protobuf-maven-plugin's writeDescriptorSet puts them)");
        KEYS.put(PROGRESS, "seconds between progress lines: a non-negative integer (0 turns them off; default 5)");
        KEYS.put(REGRESSIONS, "the file of regression seeds that always run: a path (default parigot-regressions.txt)");
        KEYS.put(REPORTS, "where failure memory and JSON summaries go: a directory (default target/parigot-sim)");
        KEYS.put(COMPILED, "where the JVM classes compiled from guest modules are kept, so that the next run loads"
                + " them instead of compiling again: a directory (default " + COMPILED_DEFAULT + "), or 'off'");
        KEYS.put(FAILURES_REPORTED, "failing seeds reported as their own tests: a positive integer (default 10);"
                + " the rest are counted on the method and listed in the JSON summary");
        KEYS.put(REPORT_STEPS, "trace steps a failure shows: a non-negative integer (default 20)");
        KEYS.put(REPORT_LOG_LINES, "log lines a failure shows: a non-negative integer (default 40)");
        KEYS.put(MODULES, "the module each node is expected to run, as a replay command gives it: node:digest pairs,"
                + " comma-separated, each digest 8 to 64 hex digits of the module's SHA-256, e.g."
                + " ledger:3f2a9c0d1e4b5a6f");
    }

    enum Stop { FIRST, NEVER }

    enum Determinism { FAILURES, ALL, OFF }

    final List<Seed> fixedSeeds;
    final int seeds;
    final Seed firstSeed;
    /** What shapes each world: recorded with every failing seed. */
    final WorldSettings world;
    /** The world of the annotation alone: a replay command repeats only what differs from it. */
    final WorldSettings annotationWorld;
    final Duration timeBudget;
    final int parallelism;
    final int shardIndex;
    final int shardCount;
    final Stop stop;
    final Determinism determinism;
    final int progressSeconds;
    final Path regressions;
    final Path reports;
    final int failuresReported;
    /** Whether worlds echo their log lines through SLF4J (a replay does; a sweep does not). */
    final boolean echoLog;
    /** Whether worlds restore boot images ({@code SimConfig.snapshots}); never changes a trace. */
    final boolean snapshots;
    /** The sometimes and reachable assertions whose coverage gaps fail the method (the annotation's only). */
    final CoverageScope coverage;
    /** The wall-clock budget of shrinking a method's first reported failure; zero when shrinking is off. */
    final Duration shrink;
    /** The choices file a replay reads ({@code parigot.replay}), and its recording; null when not replaying. */
    final Path replay;
    final dev.parigot.sim.scheduler.ChoiceRecording replayChoices;
    /** The choices file {@link #replay} names, as read; null without one. */
    final FailureShrinker.ChoicesFile replayFile;
    /** The profile in force, or null. */
    final String profile;
    /** Descriptor set files named by {@code parigot.descriptors}; empty: the default directory's files. */
    final List<Path> descriptors;

    private Settings(ParigotSimTest annotation, Function<String, Optional<String>> config, Set<String> configKeys,
            Map<String, String> environment) {
        String profileName = config.apply(PROFILE).map(v -> v.trim().toLowerCase(Locale.ROOT)).filter(v -> !v.isEmpty())
                .orElse(null);
        Map<String, String> profileDefaults = Map.of();
        if (profileName != null) {
            profileDefaults = PROFILES.get(profileName);
            if (profileDefaults == null) {
                throw new SettingsException(PROFILE + "=" + profileName + " is not valid: " + KEYS.get(PROFILE));
            }
        }
        this.profile = profileName;
        if (profileDefaults.containsKey(FAULTS)) {
            // "Swarm faults" over what the method already injects: its own profile swarmed, or the defaults.
            Map<String, String> withFaults = new LinkedHashMap<>(profileDefaults);
            withFaults.put(FAULTS, swarmOf(annotation.faults()));
            profileDefaults = withFaults;
        }
        Map<String, String> defaults = profileDefaults;
        Function<String, Optional<String>> withProfile = key -> config.apply(key).filter(v -> !v.isBlank())
                .or(() -> Optional.ofNullable(defaults.get(key)));
        Lookup get = new Lookup(withProfile);
        List<Seed> seedsGiven = new ArrayList<>();
        String seedOverride = get.value(SEED).orElse(null);
        if (seedOverride != null) {
            for (String part : seedOverride.split(",")) {
                seedsGiven.add(parseSeed(SEED, part.trim()));
            }
        } else {
            for (String s : annotation.seed()) {
                seedsGiven.add(parseSeed("@ParigotSimTest(seed)", s));
            }
        }
        this.fixedSeeds = List.copyOf(seedsGiven);
        this.seeds = get.value(SEEDS).map(v -> positiveInt(SEEDS, v)).orElseGet(() -> {
            if (annotation.seeds() <= 0) {
                throw new SettingsException("@ParigotSimTest(seeds = " + annotation.seeds() + ") is not valid: "
                        + "seeds must be a positive number of seeds to run, e.g. seeds = 1000");
            }
            return annotation.seeds();
        });
        this.firstSeed = get.value(SEED_FIRST).map(v -> v.trim().equalsIgnoreCase("random")
                ? Seed.of(System.nanoTime() * 0x9e3779b97f4a7c15L) // nondeterminism-ok: asked for a new first seed
                : firstSeed(v)).orElse(Seed.FIRST);
        this.world = WorldSettings.of(annotation, get::value, configKeys);
        this.shrink = get.value(SHRINK).map(v -> v.trim().equalsIgnoreCase("off") ? Duration.ZERO
                : duration(SHRINK, v)).orElse(SHRINK_DEFAULT);
        this.replay = get.value(REPLAY).map(v -> Path.of(v.trim())).orElse(null);
        if (replay != null && fixedSeeds.size() != 1) {
            throw new SettingsException(REPLAY + "=" + replay + " replays one seed's shrunk run: give that seed too,"
                    + " " + SEED + "=<seed> (the failure report's replay command has both)");
        }
        this.replayFile = replay == null ? null : FailureShrinker.read(replay);
        if (replayFile != null) {
            replayFile.requireSeed(fixedSeeds.get(0));
        }
        this.replayChoices = replayFile == null ? null : replayFile.recording();
        this.descriptors = get.value(DESCRIPTORS).map(v -> java.util.Arrays.stream(v.split(",")).map(String::trim)
                .filter(x -> !x.isEmpty()).map(Path::of).toList()).orElse(List.of());
        this.coverage = CoverageScope.of(annotation.coverage());
        this.annotationWorld = WorldSettings.of(annotation, key -> Optional.empty(), Set.of());
        this.timeBudget = get.value(TIME_BUDGET).map(v -> duration(TIME_BUDGET, v)).orElseGet(() ->
                annotation.timeBudget().isEmpty() ? null : duration("@ParigotSimTest(timeBudget)",
                        annotation.timeBudget()));
        this.parallelism = get.value(PARALLELISM).map(v -> v.trim().equalsIgnoreCase("cores")
                ? Runtime.getRuntime().availableProcessors() : positiveInt(PARALLELISM, v))
                .orElse(Runtime.getRuntime().availableProcessors());
        int[] shard = get.value(SHARD).map(Settings::shard).orElseGet(() -> shardFromEnvironment(environment));
        this.shardIndex = shard[0];
        this.shardCount = shard[1];
        this.stop = get.value(STOP).map(v -> choice(STOP, v, Stop.class)).orElse(Stop.NEVER);
        this.determinism = get.value(DETERMINISM).map(v -> choice(DETERMINISM, v, Determinism.class))
                .orElse(Determinism.FAILURES);
        this.progressSeconds = get.value(PROGRESS).map(v -> nonNegativeInt(PROGRESS, v)).orElse(5);
        this.regressions = Path.of(get.value(REGRESSIONS).orElse("parigot-regressions.txt"));
        this.reports = Path.of(get.value(REPORTS).orElse("target/parigot-sim"));
        this.failuresReported = get.value(FAILURES_REPORTED).map(v -> positiveInt(FAILURES_REPORTED, v)).orElse(10);
        String echo = get.value(LOG_ECHO).map(v -> v.trim().toLowerCase(Locale.ROOT)).orElse("auto");
        switch (echo) {
            case "on":
                this.echoLog = true;
                break;
            case "off":
                this.echoLog = false;
                break;
            case "auto":
                this.echoLog = fixedSeeds.size() == 1;
                break;
            default:
                throw new SettingsException(LOG_ECHO + "=" + get.value(LOG_ECHO).orElse("") + " is not valid: "
                        + KEYS.get(LOG_ECHO));
        }
        String snapshotsValue = get.value(SNAPSHOTS).map(v -> v.trim().toLowerCase(Locale.ROOT)).orElse("on");
        switch (snapshotsValue) {
            case "on":
            case "true":
                this.snapshots = true;
                break;
            case "off":
            case "false":
                this.snapshots = false;
                break;
            default:
                throw new SettingsException(SNAPSHOTS + "=" + get.value(SNAPSHOTS).orElse("") + " is not valid: "
                        + KEYS.get(SNAPSHOTS));
        }
    }

    /**
     * The settings of a method: its annotation overridden by {@code config}; {@code configKeys}
     * are the configuration parameters set (those outside {@code parigot.*} and {@code junit.*}
     * become parameters of the test's worlds); {@code environment} is the process's environment,
     * read for the shard of a Kubernetes Indexed Job when {@code parigot.shard} is not set.
     */
    static Settings of(ParigotSimTest annotation, Function<String, Optional<String>> config, Set<String> configKeys,
            Map<String, String> environment) {
        return new Settings(annotation, config, configKeys, environment);
    }

    /**
     * The swarm of an annotation's faults: {@code none} and {@code default} become {@code swarm}
     * (each seed a subset of the default faults), a profile method {@code m} becomes
     * {@code swarm:m}, and a swarm stays as it is.
     */
    static String swarmOf(String faults) {
        String f = faults.trim();
        if (f.isEmpty() || f.equals("none") || f.equals("default")) {
            return "swarm";
        }
        return f.startsWith("swarm") ? f : "swarm:" + f;
    }

    /** Unknown {@code parigot.*} keys among those set, as an error sentence, if any. */
    static Optional<String> unknownKeys(Set<String> keysSet) {
        Set<String> unknown = new TreeSet<>();
        for (String key : keysSet) {
            int dot = key.indexOf('.');
            // parigot.* keys the engine does not know, and keys whose prefix is a slip of it (parigott.seeds).
            boolean ours = key.startsWith("parigot.") || dot > 0 && !key.startsWith("parigot.")
                    && distance(key.substring(0, dot).toLowerCase(java.util.Locale.ROOT), "parigot") <= 2
                    && KEYS.containsKey("parigot." + key.substring(dot + 1));
            if (ours && !KEYS.containsKey(key)) {
                unknown.add(key);
            }
        }
        if (unknown.isEmpty()) {
            return Optional.empty();
        }
        List<String> named = new ArrayList<>();
        for (String key : unknown) {
            String closest = null;
            int best = Integer.MAX_VALUE;
            for (String known : KEYS.keySet()) {
                int d = distance(key, known);
                if (d < best) {
                    best = d;
                    closest = known;
                }
            }
            named.add(key + (best <= Math.max(2, key.length() / 5) ? " (did you mean " + closest + "?)" : ""));
        }
        return Optional.of("unknown setting" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", named)
                + "; the settings are: " + String.join(", ", KEYS.keySet()) + " (see docs/junit-engine.md)");
    }

    /** The edit distance between two keys (insertions, deletions, substitutions). */
    static int distance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1),
                        diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    /** Every setting in force for a seed run in {@code runWorld}, as text, by key. */
    Map<String, String> inForce(WorldSettings runWorld, Seed seed) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(SEED, seed.toString());
        out.put(SEEDS, Integer.toString(seeds));
        out.put(SEED_FIRST, firstSeed.toString());
        out.putAll(runWorld.texts());
        if (timeBudget != null) {
            out.put(TIME_BUDGET, WorldSettings.durationText(timeBudget));
        }
        out.put(PARALLELISM, Integer.toString(parallelism));
        out.put(SHARD, shardIndex + "/" + shardCount);
        out.put(STOP, stop.name().toLowerCase(Locale.ROOT));
        out.put(DETERMINISM, determinism.name().toLowerCase(Locale.ROOT));
        out.put(PROGRESS, Integer.toString(progressSeconds));
        out.put(FAILURES_REPORTED, Integer.toString(failuresReported));
        out.put(REGRESSIONS, regressions.toString());
        out.put(REPORTS, reports.toString());
        out.put(SHRINK, shrink.isZero() ? "off" : WorldSettings.durationText(shrink));
        if (replay != null) {
            out.put(REPLAY, replay.toString());
        }
        if (profile != null) {
            out.put(PROFILE, profile);
        }
        return out;
    }

    boolean sweeping() {
        return fixedSeeds.isEmpty();
    }

    private static Seed parseSeed(String key, String text) {
        try {
            return Seed.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(key + ": " + e.getMessage());
        }
    }

    private static Seed firstSeed(String text) {
        try {
            return Seed.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(SEED_FIRST + "=" + text + " is not valid: " + KEYS.get(SEED_FIRST));
        }
    }

    static long positiveLong(String key, String text) {
        try {
            long v = Long.parseLong(text.trim().replace("_", ""));
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw new SettingsException(key + "=" + text + " is not valid: " + KEYS.get(key));
    }

    private static int positiveInt(String key, String text) {
        try {
            int v = Integer.parseInt(text.trim().replace("_", ""));
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw new SettingsException(key + "=" + text + " is not valid: " + KEYS.get(key));
    }

    static int nonNegativeInt(String key, String text) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw new SettingsException(key + "=" + text + " is not valid: " + KEYS.get(key));
    }

    private static final Pattern SHARD_FORM = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d+)\\s*");

    private static int[] shard(String text) {
        Matcher m = SHARD_FORM.matcher(text);
        if (m.matches()) {
            try {
                int i = Integer.parseInt(m.group(1));
                int n = Integer.parseInt(m.group(2));
                if (n >= 1 && i >= 1 && i <= n) {
                    return new int[] {i, n};
                }
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw new SettingsException(SHARD + "=" + text + " is not valid: " + KEYS.get(SHARD));
    }

    /**
     * The shard of a pod of a Kubernetes Indexed Job: {@code JOB_COMPLETION_INDEX} (from 0) and
     * {@code PARIGOT_SHARDS} (Kubernetes does not export the Job's completions, so the manifest
     * sets it to the same number); neither set is the whole sweep, {@code 1/1}.
     */
    static int[] shardFromEnvironment(Map<String, String> environment) {
        String index = environment.getOrDefault(JOB_COMPLETION_INDEX, "").trim();
        String count = environment.getOrDefault(PARIGOT_SHARDS, "").trim();
        if (index.isEmpty() && count.isEmpty()) {
            return new int[] {1, 1};
        }
        String fix = "; in a Kubernetes Indexed Job set " + PARIGOT_SHARDS + " in the pod template to the Job's"
                + " spec.completions (Kubernetes sets " + JOB_COMPLETION_INDEX + " to 0 .. completions - 1), or set "
                + SHARD + "=i/n, which wins over both";
        if (index.isEmpty()) {
            throw new SettingsException(PARIGOT_SHARDS + "=" + count + " is set but " + JOB_COMPLETION_INDEX + " is not:"
                    + " the shard index comes from " + JOB_COMPLETION_INDEX + fix);
        }
        if (count.isEmpty()) {
            throw new SettingsException(JOB_COMPLETION_INDEX + "=" + index + " is set but " + PARIGOT_SHARDS + " is not:"
                    + " Kubernetes does not tell a pod how many completions its Job has, so the number of shards is"
                    + " not known" + fix);
        }
        int i = environmentInt(JOB_COMPLETION_INDEX, index, 0, fix);
        int n = environmentInt(PARIGOT_SHARDS, count, 1, fix);
        if (i >= n) {
            throw new SettingsException(JOB_COMPLETION_INDEX + "=" + i + " is not below " + PARIGOT_SHARDS + "=" + n
                    + ": the indices of " + n + " shards are 0 to " + (n - 1) + ", so " + PARIGOT_SHARDS + " is not the"
                    + " Job's completions" + fix);
        }
        return new int[] {i + 1, n};
    }

    private static int environmentInt(String name, String text, int least, String fix) {
        try {
            int v = Integer.parseInt(text);
            if (v >= least) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw new SettingsException("the environment variable " + name + "=" + text + " is not valid: it must be "
                + (least == 0 ? "a non-negative" : "a positive") + " integer" + fix);
    }

    private static <E extends Enum<E>> E choice(String key, String text, Class<E> type) {
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SettingsException(key + "=" + text + " is not valid: " + KEYS.get(key));
        }
    }

    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*(ms|s|m|h)\\s*");

    static Duration duration(String key, String text) {
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    return positive(key, text, Duration.ofMillis(n));
                case "s":
                    return positive(key, text, Duration.ofSeconds(n));
                case "m":
                    return positive(key, text, Duration.ofMinutes(n));
                default:
                    return positive(key, text, Duration.ofHours(n));
            }
        }
        try {
            return positive(key, text, Duration.parse(text.trim()));
        } catch (DateTimeParseException e) {
            throw new SettingsException(key + "=" + text + " is not valid: use a duration such as 30s, 10m, 2h,"
                    + " 500ms or PT30S");
        }
    }

    private static Duration positive(String key, String text, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new SettingsException(key + "=" + text + " is not valid: the duration must be positive");
        }
        return d;
    }

    /** Reads one key; a blank value counts as unset. */
    private static final class Lookup {
        private final Function<String, Optional<String>> config;

        Lookup(Function<String, Optional<String>> config) {
            this.config = config;
        }

        Optional<String> value(String key) {
            return config.apply(key).filter(v -> !v.isBlank());
        }
    }

    /**
     * Puts {@link #COMPILED} in force for this JVM ({@code value} absent: the default); returns
     * the problem with the value as a sentence, or empty.
     */
    static Optional<String> useCompiledCache(Optional<String> value) {
        String v = value.map(String::trim).orElse(COMPILED_DEFAULT);
        if (v.equalsIgnoreCase("off")) {
            dev.parigot.sim.kernel.GuestModule.cacheCompiledCode(null);
            return Optional.empty();
        }
        try {
            dev.parigot.sim.kernel.GuestModule.cacheCompiledCode(Path.of(v.isEmpty() ? COMPILED_DEFAULT : v));
            return Optional.empty();
        } catch (java.nio.file.InvalidPathException e) {
            dev.parigot.sim.kernel.GuestModule.cacheCompiledCode(null);
            return Optional.of(COMPILED + " '" + v + "' is not a path (" + e.getReason() + "): "
                    + KEYS.get(COMPILED));
        }
    }
}
