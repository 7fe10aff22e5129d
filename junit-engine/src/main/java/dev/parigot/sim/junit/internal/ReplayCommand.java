package dev.parigot.sim.junit.internal;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.scheduler.Seed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands that replay one failing seed under everything it ran under: Maven from the
 * repository root (selecting the module) and from inside the module directory, when the tests
 * run in a module of a multi-module build; Maven alone otherwise; and the annotation to paste
 * over the test method.
 */
final class ReplayCommand {
    private ReplayCommand() {
    }

    /** The lines a failure shows: the Maven command(s), then the annotation. */
    static List<String> lines(Class<?> testClass, String method, Seed seed, RunRecord command, RunRecord record) {
        List<String> out = new ArrayList<>();
        String module = WorkingDirectory.MODULE;
        if (module == null) {
            out.add("replay: " + maven(testClass, method, seed, command));
        } else {
            out.add("replay (from the repository root): " + maven(testClass, method, seed, command));
            out.add("replay (in " + module + "/): " + mavenInModule(testClass, method, seed, command));
        }
        out.add("    or: " + annotation(seed, record));
        return out;
    }

    /** The Maven command for the directory Maven runs from: the repository root when the tests run in a module. */
    static String maven(Class<?> testClass, String method, Seed seed, RunRecord command) {
        String module = WorkingDirectory.MODULE;
        String tail = arguments(testClass, method, seed, command);
        return module == null ? "mvn test " + tail
                : "mvn test -pl " + module + " -am -Dsurefire.failIfNoSpecifiedTests=false " + tail;
    }

    /** The Maven command run inside the module directory, or null when the tests do not run in a module. */
    static String mavenInModule(Class<?> testClass, String method, Seed seed, RunRecord command) {
        return WorkingDirectory.MODULE == null ? null : "mvn test " + arguments(testClass, method, seed, command);
    }

    private static String arguments(Class<?> testClass, String method, Seed seed, RunRecord command) {
        StringBuilder s = new StringBuilder(ShellWords.define("test", surefireName(testClass) + "#" + method))
                .append(' ').append(ShellWords.define(Settings.SEED, seed.toString()));
        for (String argument : command.arguments()) {
            s.append(' ').append(argument);
        }
        return s.toString();
    }

    /** The class as Surefire's {@code -Dtest} finds it: without its package, a nested class after a '$'. */
    static String surefireName(Class<?> testClass) {
        String name = testClass.getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** {@code @ParigotSimTest(seed = "...", ...)} with the attributes {@code record} (relative to the defaults) sets. */
    static String annotation(Seed seed, RunRecord record) {
        List<String> attributes = new ArrayList<>();
        attributes.add("seed = " + javaString(seed.toString()));
        record.settings().forEach((key, value) -> {
            String attribute = WorldSettings.attribute(key);
            if (attribute != null) {
                boolean number = key.equals(Settings.STEPS_MAX) || key.equals(Settings.REPORT_STEPS)
                        || key.equals(Settings.REPORT_LOG_LINES);
                attributes.add(attribute + " = " + (number ? value : javaString(value)));
            }
        });
        List<String> parameters = new ArrayList<>();
        record.parameters().forEach((name, value) -> parameters.add(javaString(name + "=" + value)));
        if (parameters.size() == 1) {
            attributes.add("parameters = " + parameters.get(0));
        } else if (!parameters.isEmpty()) {
            attributes.add("parameters = {" + String.join(", ", parameters) + "}");
        }
        return "@ParigotSimTest(" + String.join(", ", attributes) + ")";
    }

    private static String javaString(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"': s.append("\\\""); break;
                case '\\': s.append("\\\\"); break;
                case '\n': s.append("\\n"); break;
                default: s.append(c);
            }
        }
        return s.append('"').toString();
    }

    /** Looked up once: a JVM's working directory does not change, and a sweep may print thousands of commands. */
    private static final class WorkingDirectory {
        static final String MODULE = moduleOfWorkingDirectory(Path.of("").toAbsolutePath());
    }

    /**
     * The working directory's path from the root of its multi-module build ("samples",
     * "services/ledger"), if each directory up to that root is a module its parent's pom lists.
     */
    static String moduleOfWorkingDirectory(Path here) {
        Path root = here;
        while (root.getParent() != null && Files.exists(root.resolve("pom.xml"))
                && listsModule(root.getParent(), root.getFileName().toString())) {
            root = root.getParent();
        }
        return root.equals(here) ? null : root.relativize(here).toString().replace('\\', '/');
    }

    private static boolean listsModule(Path dir, String module) {
        Path pom = dir.resolve("pom.xml");
        try {
            return Files.exists(pom) && Files.readString(pom).contains("<module>" + module + "</module>");
        } catch (IOException e) {
            return false;
        }
    }
}
