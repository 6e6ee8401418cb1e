package dev.sigil.agent.node;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.intent.IntentComparison;
import dev.sigil.signing.intent.VerifiedProgram;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What only the node could resolve, held against the signed intent again once it is resolved. */
final class SignedTargets {
    private SignedTargets() {
    }

    /**
     * Every interface the resource attaches to, named in it or resolved on this node, is one its signed intent
     * admits: the intent check of verification, repeated for what only the node could know.
     */
    static void requireSignedInterfaces(VerifiedProgram program, Map<String, List<AttachTarget>> targets)
            throws VerificationException {
        if (!(program.binding() instanceof VerifiedProgram.Binding.Bound bound)) {
            return;
        }
        for (Map.Entry<String, List<AttachTarget>> programTargets : targets.entrySet()) {
            for (AttachTarget target : programTargets.getValue()) {
                Optional<String> networkInterface = interfaceOf(target);
                if (networkInterface.isPresent()) {
                    IntentComparison.requireAdmitsResolved(bound.intent(), programTargets.getKey(), "interface",
                            networkInterface.get());
                }
            }
        }
    }

    /** The network interface a target is on, if it is on one. */
    static Optional<String> interfaceOf(AttachTarget target) {
        return switch (target) {
            case AttachTarget.Xdp xdp -> Optional.of(xdp.interfaceName());
            case AttachTarget.Tcx tcx -> Optional.of(tcx.interfaceName());
            default -> Optional.empty();
        };
    }
}
