package dev.parigot.sim.junit;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Failure memory. Failing seeds are appended to {@code <reports>/failures.txt} the moment they
 * are found (and forced to disk, so a JVM that dies mid-sweep loses none), once each, and run
 * first, in seed order, the next time their method runs; a remembered seed that passes is
 * forgotten. The regression file
 * ({@code parigot-regressions.txt}, meant to be committed) lists seeds that always run.
 *
 * <p>Both files have one seed per line: {@code <test class>#<method> <seed>}, optionally
 * followed by text (the failure memory writes the reason); {@code #} starts a comment line.
 * The class may be written with or without its package.
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

    /** Seeds the regression file lists for this method. */
    List<Seed> regressionSeeds(Class<?> testClass, String method) {
        return read(regressions, testClass, method, true);
    }

    /** Seeds remembered as failing for this method, in seed order. */
    List<Seed> rememberedSeeds(Class<?> testClass, String method) {
        List<Seed> seeds = new ArrayList<>(read(failures, testClass, method, false));
        // Not file order: a parallel sweep appends in the order its threads finish.
        seeds.sort(null);
        return seeds;
    }

    synchronized void remember(Class<?> testClass, String method, Seed seed, String reason) {
        String line = testClass.getName() + "#" + method + " " + seed + " " + reason.replace('\n', ' ').replace('\r', ' ')
                + System.lineSeparator();
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
    synchronized void forget(Class<?> testClass, String method, Set<Seed> passed) {
        if (passed.isEmpty() || !Files.exists(failures)) {
            return;
        }
        try {
            List<String> kept = new ArrayList<>();
            for (String line : Files.readAllLines(failures, StandardCharsets.UTF_8)) {
                Entry e = Entry.parse(line);
                if (e != null && e.matches(testClass, method) && passed.contains(e.seed)) {
                    continue;
                }
                kept.add(line);
            }
            Files.write(failures, kept, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the failure memory " + failures, e);
        }
    }

    private static List<Seed> read(Path file, Class<?> testClass, String method, boolean strict) {
        if (!Files.exists(file)) {
            return List.of();
        }
        Set<Seed> seeds = new LinkedHashSet<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                Entry e = Entry.parse(line);
                if (e == null) {
                    if (strict) {
                        throw new SettingsException(file + ":" + (i + 1) + ": '" + line + "' is not a regression seed;"
                                + " write one per line as <TestClass>#<method> <seed>, e.g."
                                + " BankSimTest#moneyIsConserved 0x5eed00000000002a");
                    }
                    continue;
                }
                if (e.matches(testClass, method)) {
                    seeds.add(e.seed);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new ArrayList<>(seeds);
    }

    private record Entry(String testClass, String method, Seed seed) {
        static Entry parse(String line) {
            String[] parts = line.strip().split("\\s+", 3);
            if (parts.length < 2) {
                return null;
            }
            int hash = parts[0].indexOf('#');
            if (hash <= 0 || hash == parts[0].length() - 1) {
                return null;
            }
            try {
                return new Entry(parts[0].substring(0, hash), parts[0].substring(hash + 1), Seed.parse(parts[1]));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        boolean matches(Class<?> c, String m) {
            return method.equals(m) && (testClass.equals(c.getName()) || testClass.equals(c.getSimpleName()));
        }
    }
}
