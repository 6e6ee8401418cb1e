package dev.sigil.signing.intent;

import dev.sigil.signing.Messages;

/**
 * The pattern language of a signed constraint: a target that legitimately differs between clusters or
 * nodes (an interface name, a cgroup path) may be bound by a glob instead of an exact value.
 *
 * <pre>
 * glob     = 1*element                       ; at most 1024 characters
 * element  = "*" / "?" / literal
 * literal  = %x21-5A / %x5E-7A / "|" / "~"  ; printable ASCII except space, "[", "\", "]", "{", "}"
 * </pre>
 * {@code *} matches any run of characters other than {@code /}, including none; {@code ?} matches exactly one
 * character other than {@code /}; a literal matches itself. The whole value must match. {@code [ ] { } \} are
 * reserved: refused today, so character classes, alternatives or escapes can come later without changing
 * what an existing pattern means.
 *
 * <p>Paths: a value is matched segment by segment ({@code /} separates segments, so a wildcard never crosses
 * one), and a value with an empty, {@code .} or {@code ..} segment after its first never matches: a pattern
 * such as {@code /sys/fs/cgroup/kubepods.slice/*} cannot be walked out of with {@code ..}.
 *
 * <p>Cost: no regular expression is built; matching is O(length of value × length of pattern) at worst
 * (both at most 1024), with no backtracking blow-up.
 */
public final class Glob {
    public static final int MAX_LENGTH = 1024;
    /** The schema's form of {@link #parse}'s rule, for the CRD. */
    public static final String SCHEMA_PATTERN = "^[!-Z^-z|~]{1,1024}$";

    private final String pattern;

    private Glob(String pattern) {
        this.pattern = pattern;
    }

    /** @throws IllegalArgumentException naming the first character the grammar refuses */
    public static Glob parse(String pattern) {
        if (pattern == null || pattern.isEmpty() || pattern.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a glob has 1 to " + MAX_LENGTH + " characters, got "
                    + (pattern == null ? "none" : pattern.length()));
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c < 0x21 || c > 0x7e || "[]{}\\".indexOf(c) >= 0) {
                throw new IllegalArgumentException("glob '" + Messages.shown(pattern) + "' has '" + printable(c) + "' at position " + (i + 1)
                        + "; a glob holds printable ASCII, '*' and '?' ('[', ']', '{', '}' and '\\' are reserved)");
            }
        }
        return new Glob(pattern);
    }

    /** Whether {@code pattern} has a wildcard; one without matches only itself. */
    public static boolean hasWildcard(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
    }

    public boolean matches(String value) {
        String[] valueSegments = value.split("/", -1);
        String[] patternSegments = pattern.split("/", -1);
        if (valueSegments.length != patternSegments.length) {
            return false;
        }
        for (int i = 0; i < valueSegments.length; i++) {
            String segment = valueSegments[i];
            if (i > 0 && (segment.isEmpty() || segment.equals(".") || segment.equals(".."))) {
                return false;
            }
            if (!matchesSegment(patternSegments[i], segment)) {
                return false;
            }
        }
        return true;
    }

    /** Greedy wildcard matching that remembers only the last {@code *}: no exponential backtracking. */
    private static boolean matchesSegment(String glob, String value) {
        int p = 0;
        int v = 0;
        int star = -1;
        int resume = 0;
        while (v < value.length()) {
            if (p < glob.length() && (glob.charAt(p) == '?' || glob.charAt(p) == value.charAt(v))) {
                p++;
                v++;
            } else if (p < glob.length() && glob.charAt(p) == '*') {
                star = p++;
                resume = v;
            } else if (star >= 0) {
                p = star + 1;
                v = ++resume;
            } else {
                return false;
            }
        }
        while (p < glob.length() && glob.charAt(p) == '*') {
            p++;
        }
        return p == glob.length();
    }

    /** Two globs with the same pattern match the same values: a glob is its pattern. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Glob glob && glob.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }
}
