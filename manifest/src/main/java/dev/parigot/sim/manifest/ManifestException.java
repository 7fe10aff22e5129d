package dev.parigot.sim.manifest;

import java.util.List;

/**
 * A manifest that cannot be read or would not start: every problem found, each a sentence that
 * says where (the file, and the line where one is known), what is wrong and what to do.
 */
public final class ManifestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    ManifestException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems in the manifest:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    ManifestException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    /** Each problem as its own sentence, in the order found (file order where it has one). */
    public List<String> problems() {
        return problems;
    }
}
