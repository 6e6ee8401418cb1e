package dev.sigil.kubectl;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Optional;

/** The program's conditions as the operator wrote them. */
final class Conditions {
    /** The operator's conditions, in causal order: verification, then rollout, then failures. */
    static final List<String> TYPES = List.of("Verified", "Ready", "Degraded");

    private Conditions() {
    }

    static Optional<Condition> find(SignedBpfProgram program, String type) {
        if (program.getStatus() == null || program.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return program.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** "Verified=True (SignatureVerified)", or "Verified=?" before the operator has written it. */
    static String brief(SignedBpfProgram program, String type) {
        return find(program, type).map(c -> type + "=" + c.getStatus() + " (" + c.getReason() + ")").orElse(type + "=?");
    }
}
