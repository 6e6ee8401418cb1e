package dev.sigil.api.resource;

/** How long the fuzz test fuzzes when JAZZER_FUZZ is set: the build fills in {@code sigil.fuzz.duration}. */
final class FuzzBudget {
    static final String DURATION = "${sigil.fuzz.duration}";

    private FuzzBudget() {
    }
}
