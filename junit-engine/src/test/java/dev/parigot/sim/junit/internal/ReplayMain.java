package dev.parigot.sim.junit.internal;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.parigot.sim.junit.SeedFailure;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * What {@code mvn test -Dtest='<Class>#<method>' -D...} does in Surefire's forked JVM, without
 * Maven: the JUnit Platform Launcher runs one method of a class of this package, the engine
 * reads its settings from system properties. Prints one line per failing seed:
 * {@code failed <display name>: trace hash <hash>}. Not a test: {@link ReplayInAFreshJvmTest}
 * starts it.
 *
 * <pre>java -cp &lt;test classpath&gt; -Dparigot.seed=... dev.parigot.sim.junit.internal.ReplayMain 'Fixtures$X#method'</pre>
 */
public final class ReplayMain {
    private ReplayMain() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        String[] test = args[0].split("#", 2);
        Class<?> testClass = Class.forName(ReplayMain.class.getPackageName() + "." + test[0]);
        Method method = Arrays.stream(testClass.getDeclaredMethods()).filter(m -> m.getName().equals(test[1]))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no method " + args[0]));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(testClass, method))
                .filters(EngineFilter.includeEngines(ParigotSimEngine.ID))
                .build();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                result.getThrowable().filter(t -> id.isTest() && t instanceof SeedFailure).ifPresent(t ->
                        System.out.println("failed " + id.getDisplayName() + ": trace hash "
                                + EngineRun.traceHash(((SeedFailure) t).report())));
            }
        });
    }
}
