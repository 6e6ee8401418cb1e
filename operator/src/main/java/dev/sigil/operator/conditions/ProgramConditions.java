package dev.sigil.operator.conditions;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Objects;
import java.util.Optional;

/** Reading the conditions the status builder writes. */
public final class ProgramConditions {
    private ProgramConditions() {
    }

    public static Optional<Condition> find(SignedBpfProgramStatus status, ConditionType type) {
        return status == null ? Optional.empty() : status.getConditions().stream()
                .filter(condition -> type.name().equals(condition.getType()))
                .findFirst();
    }

    public static boolean holds(SignedBpfProgramStatus status, ConditionType type) {
        return find(status, type).map(Condition::getStatus).filter("True"::equals).isPresent();
    }

    /** Verified=True written for the program's current generation: the only state that may schedule it. */
    public static boolean verifiedForCurrentGeneration(SignedBpfProgram program) {
        return find(program.getStatus(), ConditionType.Verified)
                .filter(condition -> "True".equals(condition.getStatus()))
                .filter(condition -> Objects.equals(condition.getObservedGeneration(),
                        program.getMetadata().getGeneration()))
                .isPresent();
    }

    /** The operator has not yet written a verdict on the program's current generation. */
    public static boolean awaitingVerdict(SignedBpfProgram program) {
        SignedBpfProgramStatus status = program.getStatus();
        return status == null || !Objects.equals(status.getObservedGeneration(), program.getMetadata().getGeneration());
    }
}
