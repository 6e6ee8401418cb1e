package dev.sigil.bpf.pin;

import java.util.List;

/**
 * What removing a resource's pins left behind.
 *
 * @param left     the entries still in the resource's directory, which its record does not list (the directory
 *                 stays while it holds any); empty when the directory is gone
 * @param failures entries of the record that could not be removed, each with why
 */
public record PinRemoval(List<String> left, List<String> failures) {
    public PinRemoval {
        left = List.copyOf(left);
        failures = List.copyOf(failures);
    }
}
