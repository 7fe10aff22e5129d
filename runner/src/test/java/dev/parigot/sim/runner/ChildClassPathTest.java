package dev.parigot.sim.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The class path child units get: the runner's own, also when Maven's exec:java loaded it. */
class ChildClassPathTest {
    @Test
    void underAUrlClassLoaderTheChildrenGetItsFileEntriesNotTheJvmsClassPath() throws Exception {
        Path classes = Path.of("target", "classes").toAbsolutePath();
        Path jar = Path.of("lib", "picocli 4.jar").toAbsolutePath(); // a space, escaped in the URL
        URL[] urls = {classes.toUri().toURL(), jar.toUri().toURL(), new URL("http://example.com/remote.jar")};
        try (URLClassLoader loader = new URLClassLoader(urls, null)) {
            assertThat(UnitProcesses.childClassPath(loader, "/usr/share/maven/boot/plexus-classworlds.jar"))
                    .isEqualTo(classes + File.pathSeparator + jar);
        }
    }

    @Test
    void theApplicationClassLoaderGivesJavaClassPath() {
        String javaClassPath = System.getProperty("java.class.path");
        assertThat(UnitProcesses.childClassPath(ClassLoader.getSystemClassLoader(), javaClassPath))
                .isEqualTo(javaClassPath);
    }

    @Test
    void aUrlClassLoaderWithoutLocalEntriesGivesJavaClassPath() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[0], null)) {
            assertThat(UnitProcesses.childClassPath(loader, "a.jar")).isEqualTo("a.jar");
        }
    }
}
