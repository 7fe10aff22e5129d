package dev.parigot.sim.junit.internal;

import java.lang.reflect.AnnotatedElement;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.engine.TestTag;

/**
 * The Jupiter annotations a simulation test class or method may carry, read at discovery as
 * Jupiter reads them (meta-annotations and {@code @Tags} included): {@link DisplayName},
 * {@link Tag} and {@link Disabled}. Users write what they already know; the engine learns no
 * annotations of its own for these.
 */
final class JupiterAnnotations {
    private JupiterAnnotations() {
    }

    /** The {@code @DisplayName} of {@code element}, or {@code otherwise} when it has none (or a blank one). */
    static String displayName(AnnotatedElement element, String otherwise) {
        return AnnotationSupport.findAnnotation(element, DisplayName.class).map(DisplayName::value)
                .filter(name -> !name.isBlank()).map(String::strip).orElse(otherwise);
    }

    /**
     * Why {@code element} is {@code @Disabled}: the annotation's value, or "{@code where} is
     * {@code @Disabled}" when it gives none; empty when it is not disabled.
     */
    static Optional<String> disabledReason(AnnotatedElement element, String where) {
        return AnnotationSupport.findAnnotation(element, Disabled.class)
                .map(d -> d.value().isBlank() ? where + " is @Disabled" : d.value().strip());
    }

    /**
     * The {@code @Tag}s of {@code element}, in the order written; a tag the platform cannot
     * filter on (blank, or with a reserved character) is left out and given to {@code invalid}.
     */
    static Set<TestTag> tags(AnnotatedElement element, Consumer<String> invalid) {
        Set<TestTag> tags = new LinkedHashSet<>();
        for (Tag tag : AnnotationSupport.findRepeatableAnnotations(element, Tag.class)) {
            if (TestTag.isValid(tag.value())) {
                tags.add(TestTag.create(tag.value()));
            } else {
                invalid.accept(tag.value());
            }
        }
        return tags;
    }
}
