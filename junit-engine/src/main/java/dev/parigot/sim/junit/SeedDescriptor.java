package dev.parigot.sim.junit;

import dev.parigot.sim.scheduler.Seed;
import java.lang.reflect.Method;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;

/**
 * A failing seed of a method, registered dynamically and named after the seed; a remembered seed
 * run under other settings than the method's is named so, and its id carries those settings.
 */
final class SeedDescriptor extends AbstractTestDescriptor {
    static final String SEGMENT = "seed";

    private final String legacyName;

    SeedDescriptor(UniqueId parentId, Class<?> testClass, Method method, Seed seed, RunRecord otherSettings) {
        super(parentId.append(SEGMENT, seed + (otherSettings == null ? "" : " " + otherSettings)),
                "seed " + seed + (otherSettings == null ? "" : " (recorded settings)"),
                MethodSource.from(testClass, method));
        this.legacyName = method.getName() + "[seed " + seed + (otherSettings == null ? "" : ", recorded settings")
                + "]";
    }

    @Override
    public String getLegacyReportingName() {
        return legacyName;
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }
}
