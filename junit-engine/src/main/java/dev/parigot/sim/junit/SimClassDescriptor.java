package dev.parigot.sim.junit;

import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;

/** A test class with one or more {@link ParigotSimTest} methods. */
final class SimClassDescriptor extends AbstractTestDescriptor {
    static final String SEGMENT = "class";
    final Class<?> testClass;

    SimClassDescriptor(UniqueId id, Class<?> testClass) {
        super(id, testClass.getSimpleName(), ClassSource.from(testClass));
        this.testClass = testClass;
    }

    @Override
    public Type getType() {
        return Type.CONTAINER;
    }

    @Override
    public String getLegacyReportingName() {
        return testClass.getName();
    }
}
