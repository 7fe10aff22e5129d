package dev.parigot.sim.junit.internal;

import dev.parigot.sim.junit.ParigotSimTest;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.discovery.DiscoveryIssueReporter;
import org.junit.platform.engine.support.discovery.EngineDiscoveryRequestResolver;
import org.junit.platform.engine.support.discovery.SelectorResolver;

/**
 * Discovery: selectors to descriptors. Classpath roots, packages and modules become classes
 * (through JUnit's class-container resolver, which applies the request's class filters);
 * classes become their {@link ParigotSimTest} methods; a method selector or a unique id picks
 * one method; the unique id of a seed picks that seed of its method. Display names, tags and
 * {@code @Disabled} are read here and carried by the descriptors. Nothing here runs a test.
 */
final class SimDiscovery {
    private SimDiscovery() {
    }

    static final Predicate<Class<?>> IS_SIM_TEST_CLASS = c -> !Modifier.isAbstract(c.getModifiers())
            && !c.isInterface() && !c.isAnonymousClass() && !c.isLocalClass()
            && !simMethods(c).isEmpty();

    static void discover(EngineDiscoveryRequest request, EngineDescriptor engine) {
        EngineDiscoveryRequestResolver.<EngineDescriptor>builder()
                .addClassContainerSelectorResolver(IS_SIM_TEST_CLASS)
                .addSelectorResolver(context -> new Resolver(
                        DiscoveryIssueReporter.deduplicating(context.getIssueReporter())))
                .build()
                .resolve(request, engine);
    }

    static List<Method> simMethods(Class<?> c) {
        List<Method> methods = new ArrayList<>(ReflectionSupport.findMethods(c,
                m -> AnnotationSupport.isAnnotated(m, ParigotSimTest.class), HierarchyTraversalMode.TOP_DOWN));
        methods.sort(Comparator.comparing(Method::getName).thenComparing(SimMethodDescriptor::segmentValue));
        return methods;
    }

    private static Set<DiscoverySelector> methodSelectors(Class<?> c) {
        Set<DiscoverySelector> selectors = new LinkedHashSet<>();
        for (Method m : simMethods(c)) {
            selectors.add(DiscoverySelectors.selectMethod(c, m));
        }
        return selectors;
    }

    private static final class Resolver implements SelectorResolver {
        private final DiscoveryIssueReporter issues;

        Resolver(DiscoveryIssueReporter issues) {
            this.issues = issues;
        }

        /** The {@code @Tag}s of a class or method; one the platform cannot filter on is a warning, and left out. */
        private Set<TestTag> tags(AnnotatedElement element, Object where) {
            return JupiterAnnotations.tags(element, tag -> issues.reportIssue(DiscoveryIssue.builder(
                    DiscoveryIssue.Severity.WARNING, "@Tag(\"" + tag + "\") on " + where + " is not a valid tag"
                            + " (blank, or with whitespace, a comma, a parenthesis, &, | or !): it is ignored, so tag"
                            + " filters cannot select it")));
        }

        @Override
        public Resolution resolve(ClassSelector selector, Context context) {
            Class<?> c = selector.getJavaClass();
            if (!IS_SIM_TEST_CLASS.test(c)) {
                return Resolution.unresolved();
            }
            return context.addToParent(parent -> Optional.of(new SimClassDescriptor(
                            parent.getUniqueId().append(SimClassDescriptor.SEGMENT, c.getName()), c, tags(c, c))))
                    .map(d -> Resolution.match(Match.exact(d, () -> methodSelectors(c))))
                    .orElse(Resolution.unresolved());
        }

        @Override
        public Resolution resolve(MethodSelector selector, Context context) {
            Method m = selector.getJavaMethod();
            Class<?> c = selector.getJavaClass();
            if (!AnnotationSupport.isAnnotated(m, ParigotSimTest.class) || !IS_SIM_TEST_CLASS.test(c)) {
                return Resolution.unresolved();
            }
            return method(c, m, context).map(d -> {
                d.selectWholeSweep();
                return Resolution.match(Match.exact(d));
            }).orElse(Resolution.unresolved());
        }

        private Optional<SimMethodDescriptor> method(Class<?> c, Method m, Context context) {
            return context.addToParent(() -> DiscoverySelectors.selectClass(c), parent -> Optional.of(
                    new SimMethodDescriptor(parent.getUniqueId().append(SimMethodDescriptor.SEGMENT,
                            SimMethodDescriptor.segmentValue(m)), c, m, tags(m, m))));
        }

        @Override
        public Resolution resolve(UniqueIdSelector selector, Context context) {
            UniqueId id = selector.getUniqueId();
            List<UniqueId.Segment> segments = id.getSegments();
            if (segments.size() < 2 || !segments.get(0).getValue().equals(ParigotSimEngine.ID)) {
                return Resolution.unresolved();
            }
            UniqueId.Segment classSegment = segments.get(1);
            if (!classSegment.getType().equals(SimClassDescriptor.SEGMENT)) {
                return Resolution.unresolved();
            }
            Optional<Class<?>> c = ReflectionSupport.tryToLoadClass(classSegment.getValue()).toOptional();
            if (c.isEmpty()) {
                return Resolution.unresolved();
            }
            if (segments.size() == 2) {
                return Resolution.selectors(Set.of(DiscoverySelectors.selectClass(c.get())));
            }
            UniqueId.Segment methodSegment = segments.get(2);
            Optional<Method> m = simMethods(c.get()).stream()
                    .filter(candidate -> SimMethodDescriptor.segmentValue(candidate).equals(methodSegment.getValue()))
                    .findFirst();
            if (m.isEmpty()) {
                return Resolution.unresolved();
            }
            if (segments.size() == 3) {
                return Resolution.selectors(Set.of(DiscoverySelectors.selectMethod(c.get(), m.get())));
            }
            UniqueId.Segment seedSegment = segments.get(3);
            Optional<FailureStore.Remembered> seed = segments.size() == 4
                    && seedSegment.getType().equals(SeedDescriptor.SEGMENT)
                    ? SeedDescriptor.fromSegmentValue(seedSegment.getValue()) : Optional.empty();
            if (seed.isEmpty()) {
                return Resolution.unresolved();
            }
            // The method, running only this seed (unless the method itself is selected too).
            return method(c.get(), m.get(), context).map(d -> {
                d.selectSeed(seed.get());
                return Resolution.match(Match.exact(d));
            }).orElse(Resolution.unresolved());
        }
    }
}
