package dev.parigot.sim.junit.internal;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A user's own Maven project in a directory of its own: a pom that depends on JUnit Jupiter (from
 * the local repository, as any project does) and on this build's engine, kernel and their
 * dependencies as jars in {@code lib/} (system scope: nothing of this build is installed into a
 * Maven repository), and test sources written by the test. {@link #mvn} runs Maven offline in it,
 * with Surefire 3.5.3 asked for display names as Jupiter users ask.
 */
final class SurefireProject {
    static final String SUREFIRE = "3.5.3";

    private final Path dir;

    private SurefireProject(Path dir) {
        this.dir = dir;
    }

    /** Whether {@code mvn} is on the PATH; the tests that need it are skipped when it is not. */
    static boolean mavenOnPath() {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "mvn")));
    }

    /** A project in {@code dir} whose test classpath is this build's engine and what it needs. */
    static SurefireProject create(Path dir) {
        SurefireProject project = new SurefireProject(dir);
        StringBuilder dependencies = new StringBuilder();
        int n = 0;
        for (Path entry : engineClasspath()) {
            String jar = "lib/" + (++n) + "-" + (Files.isDirectory(entry) ? moduleName(entry) + ".jar"
                    : entry.getFileName().toString());
            project.copyOrJar(entry, dir.resolve(jar));
            dependencies.append("""
                        <dependency>
                          <groupId>local</groupId><artifactId>lib%d</artifactId><version>1</version>
                          <scope>system</scope><systemPath>%s</systemPath>
                        </dependency>
                    """.formatted(n, dir.resolve(jar).toAbsolutePath()));
        }
        EngineRun.write(dir.resolve("pom.xml"), POM.replace("<!--lib-->", dependencies).replace("SUREFIRE", SUREFIRE));
        return project;
    }

    private static final String POM = """
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <groupId>demo</groupId>
              <artifactId>demo</artifactId>
              <version>1</version>
              <properties>
                <maven.compiler.release>17</maven.compiler.release>
                <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
              </properties>
              <dependencies>
                <dependency>
                  <groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><version>5.13.4</version>
                  <scope>test</scope>
                </dependency>
            <!--lib-->
              </dependencies>
              <build>
                <plugins>
                  <plugin>
                    <artifactId>maven-resources-plugin</artifactId><version>3.3.1</version>
                  </plugin>
                  <plugin>
                    <artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version>
                  </plugin>
                  <plugin>
                    <artifactId>maven-surefire-plugin</artifactId><version>SUREFIRE</version>
                    <configuration>
                      <statelessTestsetReporter implementation="org.apache.maven.plugin.surefire.extensions.junit5.JUnit5Xml30StatelessReporter">
                        <usePhrasedTestCaseClassName>true</usePhrasedTestCaseClassName>
                        <usePhrasedTestCaseMethodName>true</usePhrasedTestCaseMethodName>
                      </statelessTestsetReporter>
                    </configuration>
                  </plugin>
                </plugins>
              </build>
            </project>
            """;

    /** The engine's runtime classpath: this JVM's, without test classes and what junit-jupiter brings. */
    private static List<Path> engineClasspath() {
        List<Path> entries = new ArrayList<>();
        for (String element : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(element);
            String name = p.getFileName().toString();
            if (name.equals("test-classes") || Stream.of("junit-", "opentest4j-", "apiguardian-", "assertj-",
                    "byte-buddy-").anyMatch(name::startsWith)) {
                continue;
            }
            entries.add(p);
        }
        return entries;
    }

    /** "sim-kernel" for {@code .../sim-kernel/target/classes}. */
    private static String moduleName(Path classes) {
        Path target = classes.getParent();
        return target != null && target.getParent() != null ? target.getParent().getFileName().toString() : "classes";
    }

    private void copyOrJar(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            if (!Files.isDirectory(from)) {
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            try (OutputStream out = Files.newOutputStream(to); JarOutputStream jar = new JarOutputStream(out);
                    Stream<Path> files = Files.walk(from)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    jar.putNextEntry(new JarEntry(from.relativize(file).toString().replace(File.separatorChar, '/')));
                    Files.copy(file, jar);
                    jar.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a test source, {@code demo/<simple name>.java}. */
    SurefireProject testSource(String simpleName, String code) {
        EngineRun.write(dir.resolve("src/test/java/demo/" + simpleName + ".java"), code);
        return this;
    }

    Path dir() {
        return dir;
    }

    /** The XML report Surefire wrote for a test class of package {@code demo}. */
    String xmlReport(String simpleName) {
        return EngineRun.read(dir.resolve("target/surefire-reports/TEST-demo." + simpleName + ".xml"));
    }

    /** What {@code mvn -B -o <arguments>} printed, and how it ended. */
    record Run(int exitCode, String output) {
        List<String> lines() {
            return output.lines().toList();
        }
    }

    /** Runs Maven offline in the project (Surefire, its provider and the plugins come from the local repository). */
    Run mvn(String... arguments) {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-o"));
        command.addAll(List.of(arguments));
        try {
            Path log = dir.resolve("mvn.log");
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("mvn " + String.join(" ", arguments) + " did not finish in 180 s:\n"
                        + EngineRun.read(log));
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while mvn ran", e);
        }
    }
}
