package dev.parigot.sim.junit.internal;

import dev.parigot.sim.scheduler.Seed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Failure memory. Failing seeds are appended to {@code <reports>/failures.txt} the moment they
 * are found (and forced to disk, so a JVM that dies mid-sweep loses none), once each, with what
 * they ran under, and run first, in seed order and under those settings, the next time their
 * method runs; a remembered seed that passes is forgotten. The regression file
 * ({@code parigot-regressions.txt}, meant to be committed) lists seeds that always run.
 *
 * <p>Both files have one seed per line: {@code <test class>#<method> <seed>}, then optionally
 * the {@code -D<name>=<value>} words of a {@link RunRecord} (the world's settings and the test's
 * parameters, quoted as for a shell), then text (the failure memory writes the kind and reason);
 * {@code #} starts a comment line. The class may be written with or without its package. A line
 * without settings (as written before they were recorded) runs under the settings in force.
 */
final class FailureStore {
    static final String FILE_NAME = "failures.txt";
    private final Path failures;
    private final Path regressions;
    /** Open from a run's first failing seed to its end: one write per failure, not an open and a close. */
    private FileChannel appending;

    FailureStore(Path reports, Path regressions) {
        this.failures = reports.resolve(FILE_NAME);
        this.regressions = regressions;
    }

    Path failuresFile() {
        return failures;
    }

    /**
     * A seed to run and what it ran under when it was written down.
     *
     * @param record its settings and parameters, or null for a line that has none
     */
    record Remembered(Seed seed, RunRecord record) {
        static final Comparator<Remembered> ORDER = Comparator.comparing(Remembered::seed)
                .thenComparing(r -> r.record == null ? "" : r.record.toString());
    }

    /** Seeds the regression file lists for this method. */
    List<Remembered> regressionSeeds(Class<?> testClass, String method) {
        return read(regressions, testClass, method, true);
    }

    /** Seeds remembered as failing for this method, in seed order. */
    List<Remembered> rememberedSeeds(Class<?> testClass, String method) {
        List<Remembered> seeds = new ArrayList<>(read(failures, testClass, method, false));
        // Not file order: a parallel sweep appends in the order its threads finish.
        seeds.sort(Remembered.ORDER);
        return seeds;
    }

    synchronized void remember(Class<?> testClass, String method, Seed seed, RunRecord record, String reason) {
        String line = testClass.getName() + "#" + method + " " + seed + (record.isEmpty() ? "" : " " + record) + " "
                + reason.replace('\n', ' ').replace('\r', ' ') + System.lineSeparator();
        try {
            if (appending == null) {
                Files.createDirectories(failures.toAbsolutePath().getParent());
                appending = FileChannel.open(failures, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
            // Written through at once: a JVM that dies mid-sweep loses nothing (the OS keeps it).
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(line);
            while (bytes.hasRemaining()) {
                appending.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the failure memory " + failures, e);
        }
    }

    /** Closes the file the failing seeds of a run were appended to; a later remember opens it again. */
    synchronized void close() {
        if (appending == null) {
            return;
        }
        try {
            appending.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the failure memory " + failures, e);
        } finally {
            appending = null;
        }
    }

    /** Forgets the remembered seeds of this method that passed in this run. */
    synchronized void forget(Class<?> testClass, String method, Predicate<Remembered> passed) {
        if (!Files.exists(failures)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(failures, StandardCharsets.UTF_8);
            List<String> kept = new ArrayList<>();
            for (String line : lines) {
                Entry e = Entry.parseOrNull(line);
                if (e != null && e.matches(testClass, method) && passed.test(e.remembered)) {
                    continue;
                }
                kept.add(line);
            }
            if (kept.size() < lines.size()) {
                Files.write(failures, kept, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the failure memory " + failures, e);
        }
    }

    private static List<Remembered> read(Path file, Class<?> testClass, String method, boolean strict) {
        if (!Files.exists(file)) {
            return List.of();
        }
        Set<Remembered> seeds = new LinkedHashSet<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String where = file + ":" + (i + 1) + ": '" + line + "'";
                Entry e;
                try {
                    e = Entry.parse(line);
                    if (e != null && e.matches(testClass, method) && e.remembered.record != null) {
                        e.remembered.record.world().config(testClass); // still valid for this class?
                    }
                } catch (SettingsException problem) {
                    if (strict) {
                        throw new SettingsException(where + " does not say what to run under: " + problem.getMessage());
                    }
                    continue;
                }
                if (e == null) {
                    if (strict) {
                        throw new SettingsException(where + " is not a regression seed; write one per line as"
                                + " <TestClass>#<method> <seed>, e.g. BankSimTest#moneyIsConserved 0x5eed00000000002a,"
                                + " optionally followed by the -D settings of its replay command");
                    }
                    continue;
                }
                if (e.matches(testClass, method)) {
                    seeds.add(e.remembered);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new ArrayList<>(seeds);
    }

    private record Entry(String testClass, String method, Remembered remembered) {
        /** The entry of a line, or null if it is not one; settings that cannot be read throw. */
        static Entry parse(String line) {
            ShellWords.Word name = ShellWords.next(line, 0);
            ShellWords.Word seed = name == null ? null : ShellWords.next(line, name.end());
            if (seed == null) {
                return null;
            }
            int hash = name.text().indexOf('#');
            if (hash <= 0 || hash == name.text().length() - 1) {
                return null;
            }
            Seed parsed;
            try {
                parsed = Seed.parse(seed.text());
            } catch (IllegalArgumentException e) {
                return null;
            }
            List<String> settings = new ArrayList<>();
            for (ShellWords.Word w = ShellWords.next(line, seed.end()); w != null && w.text().startsWith("-D");
                    w = ShellWords.next(line, w.end())) {
                settings.add(w.text());
            }
            return new Entry(name.text().substring(0, hash), name.text().substring(hash + 1),
                    new Remembered(parsed, settings.isEmpty() ? null : RunRecord.parse(settings)));
        }

        /** As {@link #parse}, with settings that cannot be read making no entry. */
        static Entry parseOrNull(String line) {
            try {
                return parse(line);
            } catch (SettingsException e) {
                return null;
            }
        }

        boolean matches(Class<?> c, String m) {
            return method.equals(m) && (testClass.equals(c.getName()) || testClass.equals(c.getSimpleName()));
        }
    }
}
