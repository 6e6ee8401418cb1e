package dev.sigil.agent.pin;

import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;

/** What the pin directory records about one attached program, to re-adopt and re-attach it later. */
public record PinnedProgram(String name, int programId, String tag, int linkId, AttachSpec attach) {
}
