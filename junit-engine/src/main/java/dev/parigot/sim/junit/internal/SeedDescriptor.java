package dev.parigot.sim.junit.internal;

import dev.parigot.sim.scheduler.Seed;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;

/**
 * A seed of a method reported as its own test (a failing seed, or a seed selected by its unique
 * id), registered dynamically and named after the seed; a remembered seed run under other
 * settings than the method's is named so, and its id carries those settings. Its unique id,
 * selected again (an IDE rerunning a failed test), runs that seed alone.
 */
final class SeedDescriptor extends AbstractTestDescriptor {
    static final String SEGMENT = "seed";

    private final String legacyName;

    SeedDescriptor(UniqueId parentId, Class<?> testClass, Method method, Seed seed, RunRecord otherSettings) {
        super(parentId.append(SEGMENT, segmentValue(seed, otherSettings)),
                "seed " + seed + (otherSettings == null ? "" : " (recorded settings)"),
                MethodSource.from(testClass, method));
        this.legacyName = method.getName() + "[seed " + seed + (otherSettings == null ? "" : ", recorded settings")
                + "]";
    }

    /** The last segment of a seed's unique id: the seed, then the settings it ran under if not the method's. */
    static String segmentValue(Seed seed, RunRecord otherSettings) {
        return seed + (otherSettings == null ? "" : " " + otherSettings);
    }

    /** The seed (and the settings it runs under, if any) a unique id's last segment names; empty if it names none. */
    static Optional<FailureStore.Remembered> fromSegmentValue(String value) {
        ShellWords.Word first = ShellWords.next(value, 0);
        if (first == null) {
            return Optional.empty();
        }
        try {
            Seed seed = Seed.parse(first.text());
            List<String> words = new ArrayList<>();
            for (ShellWords.Word w = ShellWords.next(value, first.end()); w != null;
                    w = ShellWords.next(value, w.end())) {
                words.add(w.text());
            }
            return Optional.of(new FailureStore.Remembered(seed, words.isEmpty() ? null : RunRecord.parse(words)));
        } catch (IllegalArgumentException | SettingsException e) {
            return Optional.empty();
        }
    }

    @Override
    public String getLegacyReportingName() {
        return legacyName;
    }

    @Override
    public Set<TestTag> getTags() {
        return getParent().map(TestDescriptor::getTags).orElse(Set.of());
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }
}
