package dev.parigot.sim.bench;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bank sample seeds per second through the JUnit launcher and the engine, one thread, for two or
 * more builds in one JVM: each benchmarks jar (self-contained: its kernel, engine, launcher and
 * samples) is loaded in its own class loader, with this jar behind it so that a build older than
 * {@link EngineSweep} runs the same sweep over its own engine. Every round runs each build's
 * sweep of the same seeds in turn (the order rotates from round to round), with each build's
 * default settings (parallelism 1); prints each build's seeds/s and its ratio to the first
 * build's, measured in the same rounds. The issue's own measure of "seeds per second on one
 * thread": the first jar is the build it was filed against.
 *
 * <pre>java -XX:-DontCompileHugeMethods -Xmx4g -cp benchmarks/target/benchmarks.jar
 *     dev.parigot.sim.bench.EngineRateCompare 3 200000 baseline.jar benchmarks/target/benchmarks.jar</pre>
 */
public final class EngineRateCompare {
    private EngineRateCompare() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: EngineRateCompare <rounds> <seeds> <benchmarks.jar> <benchmarks.jar>...");
            System.exit(2);
        }
        int rounds = Integer.parseInt(args[0]);
        int seeds = Integer.parseInt(args[1]);
        int builds = args.length - 2;
        URL self = EngineRateCompare.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader[] loaders = new ClassLoader[builds];
        Method[] sweep = new Method[builds];
        for (int b = 0; b < builds; b++) {
            File jar = new File(args[b + 2]);
            if (!jar.isFile()) {
                throw new IllegalArgumentException("no such benchmarks jar: " + jar + " (build it with mvn package -pl"
                        + " benchmarks -am -DskipTests in that checkout)");
            }
            loaders[b] = new BuildLoader(jar.toURI().toURL(), self);
            sweep[b] = loaders[b].loadClass(EngineSweep.class.getName()).getMethod("nanos", int.class, Map.class);
            sweep[b].setAccessible(true);
        }
        Map<String, String> settings = Map.of("parigot.parallelism", "1");
        double[][] rate = new double[builds][rounds];
        double[][] againstFirst = new double[builds][rounds];
        // Warm-up: each build once on a tenth of the seeds.
        for (int b = 0; b < builds; b++) {
            run(loaders[b], sweep[b], Math.max(1000, seeds / 10), settings);
        }
        for (int round = 0; round < rounds; round++) {
            double[] r = new double[builds];
            for (int turn = 0; turn < builds; turn++) {
                int b = Math.floorMod(turn + round, builds);
                r[b] = seeds / (run(loaders[b], sweep[b], seeds, settings) / 1e9);
                System.out.printf(Locale.ROOT, "round %d, %s: %,9.0f seeds/s%n", round + 1, args[b + 2], r[b]);
            }
            for (int b = 0; b < builds; b++) {
                rate[b][round] = r[b];
                againstFirst[b][round] = r[b] / r[0];
            }
        }
        System.out.printf(Locale.ROOT, "%nbank sample through the engine, one thread, %,d seeds per sweep, %d rounds,"
                + " wall clock, median (min..max):%n", seeds, rounds);
        for (int b = 0; b < builds; b++) {
            System.out.printf(Locale.ROOT, "  %s: %s seeds/s, against the first build %s%n", args[b + 2],
                    SeedRateCompare.median(rate[b], "%,.0f"), SeedRateCompare.median(againstFirst[b], "%.2fx"));
        }
    }

    /**
     * A build's jar, then this jar for the classes the build lacks; resources under META-INF
     * (the launcher's service files: its engines, listeners) come from the build's jar alone, or
     * the launcher would find each engine twice.
     */
    private static final class BuildLoader extends URLClassLoader {
        private final URL build;

        BuildLoader(URL build, URL self) {
            super(new URL[] {build, self}, ClassLoader.getPlatformClassLoader());
            this.build = build;
        }

        @Override
        public Enumeration<URL> findResources(String name) throws IOException {
            Enumeration<URL> all = super.findResources(name);
            if (!name.startsWith("META-INF/")) {
                return all;
            }
            List<URL> own = new ArrayList<>();
            String prefix = "jar:" + build + "!/";
            while (all.hasMoreElements()) {
                URL url = all.nextElement();
                if (url.toString().startsWith(prefix)) {
                    own.add(url);
                }
            }
            return Collections.enumeration(own);
        }
    }

    private static long run(ClassLoader loader, Method sweep, int seeds, Map<String, String> settings)
            throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(loader); // the launcher finds its engines through the context loader
        try {
            return (long) sweep.invoke(null, seeds, settings);
        } finally {
            thread.setContextClassLoader(saved);
        }
    }

}
