package dev.parigot.sim.junit.internal;

import dev.parigot.sim.junit.ParigotSimTest;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;

/**
 * A test class with one or more {@link ParigotSimTest} methods, named by its {@code @DisplayName}
 * (else its simple name), tagged by its {@code @Tag}s, skipped when it is {@code @Disabled}.
 */
final class SimClassDescriptor extends AbstractTestDescriptor {
    static final String SEGMENT = "class";
    final Class<?> testClass;
    /** Why the class is {@code @Disabled}; empty when it runs. */
    final Optional<String> disabledReason;
    private final Set<TestTag> tags;

    SimClassDescriptor(UniqueId id, Class<?> testClass, Set<TestTag> tags) {
        super(id, JupiterAnnotations.displayName(testClass, testClass.getSimpleName()), ClassSource.from(testClass));
        this.testClass = testClass;
        this.disabledReason = JupiterAnnotations.disabledReason(testClass, testClass.getSimpleName());
        this.tags = Set.copyOf(tags);
    }

    @Override
    public Type getType() {
        return Type.CONTAINER;
    }

    @Override
    public Set<TestTag> getTags() {
        return tags;
    }

    @Override
    public String getLegacyReportingName() {
        return testClass.getName();
    }
}
