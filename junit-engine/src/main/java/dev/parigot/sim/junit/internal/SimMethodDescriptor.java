package dev.parigot.sim.junit.internal;

import dev.parigot.sim.junit.ParigotSimTest;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;

/**
 * One {@link ParigotSimTest} method: a test (it passes when every seed passes) and a container
 * of the failing seeds, each registered as its own test while the method runs. Named by its
 * {@code @DisplayName}, tagged by its own and its class's {@code @Tag}s, skipped when it is
 * {@code @Disabled}. Selected by the unique id of one of its seeds, it runs only the seeds so
 * selected.
 */
final class SimMethodDescriptor extends AbstractTestDescriptor {
    static final String SEGMENT = "method";
    final Class<?> testClass;
    final Method method;
    /** Why the method is {@code @Disabled}; empty when it runs. */
    final Optional<String> disabledReason;
    private final Set<TestTag> tags;
    private final List<FailureStore.Remembered> selectedSeeds = new ArrayList<>();
    private boolean wholeSweep;

    SimMethodDescriptor(UniqueId id, Class<?> testClass, Method method, Set<TestTag> tags) {
        super(id, JupiterAnnotations.displayName(method, method.getName()), MethodSource.from(testClass, method));
        this.testClass = testClass;
        this.method = method;
        this.disabledReason = JupiterAnnotations.disabledReason(method, testClass.getSimpleName() + "#"
                + method.getName());
        this.tags = Set.copyOf(tags);
    }

    static String segmentValue(Method method) {
        StringBuilder s = new StringBuilder(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            s.append(i > 0 ? "," : "").append(types[i].getName());
        }
        return s.append(')').toString();
    }

    /** The method itself was selected: it runs its whole sweep, whatever seeds were selected too. */
    void selectWholeSweep() {
        wholeSweep = true;
        selectedSeeds.clear();
    }

    /** One seed of the method was selected (by its unique id): unless the whole sweep is, only such seeds run. */
    void selectSeed(FailureStore.Remembered seed) {
        if (!wholeSweep && !selectedSeeds.contains(seed)) {
            selectedSeeds.add(seed);
        }
    }

    /** The seeds selected by their unique ids, in the order selected; empty when the whole sweep runs. */
    List<FailureStore.Remembered> selectedSeeds() {
        return List.copyOf(selectedSeeds);
    }

    @Override
    public Set<TestTag> getTags() {
        Set<TestTag> all = new LinkedHashSet<>(tags);
        getParent().ifPresent(parent -> all.addAll(parent.getTags()));
        return all;
    }

    @Override
    public Type getType() {
        return Type.CONTAINER_AND_TEST;
    }

    @Override
    public boolean mayRegisterTests() {
        return true;
    }

    @Override
    public String getLegacyReportingName() {
        return method.getName();
    }
}
