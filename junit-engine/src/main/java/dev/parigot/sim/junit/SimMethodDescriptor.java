package dev.parigot.sim.junit;

import java.lang.reflect.Method;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;

/**
 * One {@link ParigotSimTest} method: a test (it passes when every seed passes) and a container
 * of the failing seeds, each registered as its own test while the method runs.
 */
final class SimMethodDescriptor extends AbstractTestDescriptor {
    static final String SEGMENT = "method";
    final Class<?> testClass;
    final Method method;

    SimMethodDescriptor(UniqueId id, Class<?> testClass, Method method) {
        super(id, method.getName(), MethodSource.from(testClass, method));
        this.testClass = testClass;
        this.method = method;
    }

    static String segmentValue(Method method) {
        StringBuilder s = new StringBuilder(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            s.append(i > 0 ? "," : "").append(types[i].getName());
        }
        return s.append(')').toString();
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
