package dev.parigot.sim.junit;

import dev.parigot.sim.scheduler.Seed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The command that replays one seed of one test method, for the directory Maven was started
 * from: inside a module of a multi-module build it selects the module and builds what it needs.
 */
final class ReplayCommand {
    private ReplayCommand() {
    }

    static String maven(Class<?> testClass, String method, Seed seed) {
        String test = "-Dtest='" + testClass.getSimpleName() + "#" + method + "'";
        String module = WorkingDirectory.MODULE;
        if (module != null) {
            return "mvn test -pl " + module + " -am -Dsurefire.failIfNoSpecifiedTests=false " + test
                    + " -Dparigot.seed=" + seed;
        }
        return "mvn test " + test + " -Dparigot.seed=" + seed;
    }

    static String annotation(Seed seed) {
        return "@ParigotSimTest(seed = \"" + seed + "\")";
    }

    /** Looked up once: a JVM's working directory does not change, and a sweep may print thousands of commands. */
    private static final class WorkingDirectory {
        static final String MODULE = moduleOfWorkingDirectory();
    }

    /** The module name if the working directory is a module listed in its parent's pom. */
    private static String moduleOfWorkingDirectory() {
        Path here = Path.of("").toAbsolutePath();
        Path parent = here.getParent();
        if (parent == null || !Files.exists(here.resolve("pom.xml"))) {
            return null;
        }
        Path parentPom = parent.resolve("pom.xml");
        try {
            if (Files.exists(parentPom) && Files.readString(parentPom).contains("<module>" + here.getFileName()
                    + "</module>")) {
                return here.getFileName().toString();
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
