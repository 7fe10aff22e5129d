package dev.parigot.sim.junit.internal;

import dev.parigot.sim.kernel.SimFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a failing seed ran under besides the seed and the code, as {@code -D} arguments: the
 * world's settings that differ from a base (the engine's defaults for the failure memory, the
 * annotation for a replay command), each node's module digest ({@code parigot.modules}) and the
 * test's own parameters the world read. The failure memory stores it after the seed; a replay
 * command ends with it.
 *
 * @param settings {@code parigot.*} world settings by key, in {@link WorldSettings#KEYS} order
 * @param parameters the test's own parameters by name
 */
record RunRecord(Map<String, String> settings, Map<String, String> parameters) {

    RunRecord {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String key : WorldSettings.KEYS) {
            if (settings.containsKey(key)) {
                ordered.put(key, settings.get(key));
            }
        }
        settings = Collections.unmodifiableMap(ordered);
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
    }

    /** The record of {@code failure}, found in a world run under {@code world}, relative to {@code base}. */
    static RunRecord of(WorldSettings world, WorldSettings base, SimFailure failure) {
        Map<String, String> settings = new LinkedHashMap<>(world.differingFrom(base));
        settings.remove(Settings.MODULES);
        if (!failure.modules().isEmpty()) {
            settings.put(Settings.MODULES, WorldSettings.modulesText(failure.modules()));
        }
        Map<String, String> parameters = new LinkedHashMap<>(failure.parameters());
        // A name the engines own cannot be given back as a parameter: a command carrying it would not run.
        parameters.keySet().removeIf(WorldSettings::engineKey);
        return new RunRecord(settings, parameters);
    }

    /**
     * The record the failure memory keeps: relative to the engine's defaults, and always with the
     * strategy and the faults, so that a line says what it ran under even when that was the
     * default; without the report sizes, which do not change the world.
     */
    static RunRecord remembered(WorldSettings world, SimFailure failure) {
        RunRecord r = of(world, WorldSettings.DEFAULTS, failure);
        Map<String, String> settings = new LinkedHashMap<>(r.settings());
        // How much a failure shows is the run's to say, not the record's.
        settings.keySet().removeAll(List.of(Settings.REPORT_STEPS, Settings.REPORT_LOG_LINES));
        settings.put(Settings.STRATEGY, world.strategy());
        settings.put(Settings.FAULTS, world.faults());
        return new RunRecord(settings, r.parameters());
    }

    /**
     * Reads {@code -D<key>=<value>} words (as {@link #arguments} writes them); a word of another
     * form, a {@code parigot.*} key that is not a world setting or a value it does not accept is
     * an error.
     */
    static RunRecord parse(List<String> words) {
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            if (!word.startsWith("-D") || eq <= 2) {
                throw new SettingsException("'" + word + "' is not a setting; write -D<name>=<value>");
            }
            String key = word.substring(2, eq);
            String value = word.substring(eq + 1);
            if (WorldSettings.KEYS.contains(key)) {
                settings.put(key, value);
            } else if (WorldSettings.engineKey(key)) {
                throw new SettingsException(key + " is not recorded with a seed; the settings a seed runs under are "
                        + String.join(", ", WorldSettings.KEYS) + ", and the test's own parameters");
            } else {
                parameters.put(key, value);
            }
        }
        RunRecord record = new RunRecord(settings, parameters);
        record.world(); // every value readable
        return record;
    }

    /** The world this record describes: the engine's defaults, these settings, exactly these parameters. */
    WorldSettings world() {
        return WorldSettings.of(WorldSettings.DEFAULTS_ANNOTATION, key -> Optional.ofNullable(settings.get(key)),
                Set.of()).withParameters(parameters);
    }

    /** {@code -D<key>=<value>} for each setting, then each parameter, quoted for a POSIX shell. */
    List<String> arguments() {
        List<String> out = new ArrayList<>();
        settings.forEach((key, value) -> out.add(ShellWords.define(key, value)));
        parameters.forEach((name, value) -> out.add(ShellWords.define(name, value)));
        return out;
    }

    boolean isEmpty() {
        return settings.isEmpty() && parameters.isEmpty();
    }

    /**
     * Whether a seed run under this record is the same world as one run under {@code current}:
     * the same settings (report sizes and module digests aside) and no parameter given now with
     * another value.
     * A parameter not given now is taken to have had its default then too.
     */
    boolean sameWorldAs(WorldSettings current) {
        if (!world().worldTexts().equals(current.worldTexts())) {
            return false;
        }
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            String given = current.parameters().getOrDefault(p.getKey(), System.getProperty(p.getKey()));
            if (given != null && !given.equals(p.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return String.join(" ", arguments());
    }
}
