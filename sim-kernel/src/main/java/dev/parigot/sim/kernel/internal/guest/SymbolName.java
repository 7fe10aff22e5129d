package dev.parigot.sim.kernel.internal.guest;

/**
 * A function's name from a module's name section as a person reads it. Rust (its default, legacy
 * mangling) and C++ put mangled symbols there: {@code _ZN4core9panicking5panic17h5a1f6c4b0e8e2b0aE}
 * reads {@code core::panicking::panic}. Only the forms this can read whole are rewritten (a nested
 * name of length-prefixed parts, Rust's {@code $..$} escapes, a trailing Rust hash dropped, C++
 * parameter types left out); any other name is returned as it is, so nothing is ever misread.
 */
public final class SymbolName {
    private SymbolName() {
    }

    /** {@code symbol} demangled when it is a name this class reads whole, else {@code symbol} itself. */
    public static String readable(String symbol) {
        if (symbol == null || !symbol.startsWith("_Z")) {
            return symbol;
        }
        String s = symbol; // what follows the name (C++ parameter types, LLVM's ".llvm.1234") is left out
        StringBuilder out = new StringBuilder();
        int i;
        if (s.startsWith("_ZN")) {
            i = 3;
            int parts = 0;
            while (i < s.length() && s.charAt(i) != 'E') {
                int[] at = {i};
                String part = part(s, at);
                if (part == null) {
                    return symbol;
                }
                i = at[0];
                boolean last = i < s.length() && s.charAt(i) == 'E';
                if (last && isRustHash(part)) {
                    if (parts == 0) {
                        return symbol;
                    }
                    break;
                }
                String text = rustEscapes(part);
                if (text == null) {
                    return symbol;
                }
                out.append(parts++ == 0 ? "" : "::").append(text);
            }
            if (i >= s.length() || s.charAt(i) != 'E' || parts == 0) {
                return symbol;
            }
        } else {
            int[] at = {2};
            String part = part(s, at); // _Z3fooi: a function at namespace scope, parameters after
            if (part == null) {
                return symbol;
            }
            out.append(part);
        }
        return out.toString();
    }

    /** The length-prefixed part at {@code at[0]}, which moves past it; null if there is none. */
    private static String part(String s, int[] at) {
        int i = at[0];
        int len = 0;
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && i - start < 6) {
            len = len * 10 + (s.charAt(i) - '0');
            i++;
        }
        if (i == start || len == 0 || i + len > s.length()) {
            return null;
        }
        at[0] = i + len;
        return s.substring(i, i + len);
    }

    private static boolean isRustHash(String part) {
        if (part.length() != 17 || part.charAt(0) != 'h') {
            return false;
        }
        for (int i = 1; i < 17; i++) {
            if (Character.digit(part.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Rust's escapes in one part: {@code $LT$} is {@code <}, {@code $u7b$} is '{', {@code ..} is {@code ::}. */
    private static String rustEscapes(String part) {
        String p = part.startsWith("_$") ? part.substring(1) : part;
        StringBuilder out = new StringBuilder(p.length());
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '$') {
                int end = p.indexOf('$', i + 1);
                if (end < 0) {
                    return null;
                }
                String code = p.substring(i + 1, end);
                String ch = escape(code);
                if (ch == null) {
                    return null;
                }
                out.append(ch);
                i = end + 1;
            } else if (c == '.' && i + 1 < p.length() && p.charAt(i + 1) == '.') {
                out.append("::");
                i += 2;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String escape(String code) {
        switch (code) {
            case "SP": return "@";
            case "BP": return "*";
            case "RF": return "&";
            case "LT": return "<";
            case "GT": return ">";
            case "LP": return "(";
            case "RP": return ")";
            case "C": return ",";
            default:
                if (code.length() >= 2 && code.charAt(0) == 'u') {
                    try {
                        int cp = Integer.parseInt(code.substring(1), 16);
                        return Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : null;
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
                return null;
        }
    }
}
