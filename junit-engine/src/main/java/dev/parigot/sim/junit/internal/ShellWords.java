package dev.parigot.sim.junit.internal;

/**
 * Words as a POSIX shell reads them, for the replay commands the engine prints and the
 * {@code -D} arguments the failure memory stores: a word that needs it is written in single
 * quotes (a quote inside as {@code '\''}), and read back the same way.
 */
final class ShellWords {
    private ShellWords() {
    }

    /** {@code text} as one shell word: as is when every character is safe, else in single quotes. */
    static String quote(String text) {
        if (!text.isEmpty() && text.chars().allMatch(ShellWords::safe)) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** {@code -D<name>=<value>}, the value quoted for a shell. */
    static String define(String name, String value) {
        return "-D" + name + "=" + quote(value);
    }

    private static boolean safe(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "_@%+=:,./-".indexOf(c) >= 0;
    }

    /**
     * The shell word starting at {@code from} (after any blanks) and the index just past it; null
     * at the end of {@code text} or when a quote is not closed.
     */
    static Word next(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return null;
        }
        StringBuilder word = new StringBuilder();
        while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
            char c = text.charAt(i);
            if (c == '\'') {
                int close = text.indexOf('\'', i + 1);
                if (close < 0) {
                    return null;
                }
                word.append(text, i + 1, close);
                i = close + 1;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        return new Word(word.toString(), i);
    }

    /** A word of a command line and where it ends. */
    record Word(String text, int end) {
    }
}
