package dev.parigot.sim.junit.internal;

/** A setting (annotation attribute, system property or configuration parameter) is not valid. */
final class SettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SettingsException(String message) {
        super(message);
    }
}
