package dev.sigil.kubectl;

import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.signing.ReasonCode;
import java.util.Arrays;
import java.util.Optional;

/**
 * What to do about a reason code. Switches over the reason enums are exhaustive, so a new code does
 * not compile until it has a hint.
 */
final class Hints {
    private Hints() {
    }

    static Optional<String> forReason(String reason, String namespace) {
        if (reason == null) {
            return Optional.empty();
        }
        Optional<String> verification = Arrays.stream(ReasonCode.values()).filter(code -> code.name().equals(reason))
                .findFirst().map(Hints::verification);
        if (verification.isPresent()) {
            return verification;
        }
        Optional<String> node = Arrays.stream(FailureReason.values()).filter(code -> code.name().equals(reason))
                .findFirst().map(Hints::node);
        return node.isPresent() ? node : operator(reason, namespace);
    }

    static String staleNode(String node, String namespace) {
        return "its agent stopped reporting: check the agent pod there (kubectl -n " + namespace
                + " get pods -l app.kubernetes.io/name=sigil-agent --field-selector spec.nodeName=" + node
                + "); until it reports again, what it last said may no longer hold";
    }

    static String neverReported(String node, String namespace) {
        return "no Sigil agent has ever reported from this node: is the agent pod running there? (kubectl -n " + namespace
                + " get pods -l app.kubernetes.io/name=sigil-agent --field-selector spec.nodeName=" + node + ")";
    }

    static String unreported(String node, String namespace) {
        return "its agent has not reported this program yet: wait for the rollout, or check the agent pod there (kubectl -n "
                + namespace + " get pods -l app.kubernetes.io/name=sigil-agent --field-selector spec.nodeName=" + node + ")";
    }

    private static String verification(ReasonCode code) {
        return switch (code) {
            case MalformedLoader, MalformedMetadata, MalformedSignature, HashMismatch, PrologueMismatch, SignatureInvalid ->
                    "the signed pieces were changed or damaged after signing: sign the program again (sigil sign) and re-apply it";
            case UntrustedSigner ->
                    "the signer's certificate (and its chain) is not in the trust bundle: add it to the trust ConfigMap "
                            + "(chart value trust.anchors), or sign with a trusted key";
            case CertificateExpired, CertificateNotYetValid ->
                    "the signing certificate is outside its validity (or a clock is wrong): sign again with a current certificate";
            case KeyUsageNotAllowed ->
                    "the signing certificate may not sign code (keyUsage digitalSignature, extendedKeyUsage codeSigning): "
                            + "issue one that may (sigil keygen)";
            case Revoked ->
                    "the signer or this build is on a revocation list of the trust bundle: sign a new build with an unrevoked key";
            case UnsupportedProtocol -> "spec.protocol names a protocol this Sigil does not know: sign with this version's sigil";
            case IntentMissing ->
                    "the resource carries no signed intent and the trust bundle refuses unbound programs: sign it with "
                            + "this sigil (sigil sign writes the intent), or set the bundle's unbound-programs to Admit";
            case IntentMismatch, ProgramMismatch ->
                    "the resource was edited after signing (programs, attach points, maps, enforcement or node selector "
                            + "differ from the signed intent): re-apply what was signed, or sign the change";
            case IntentSignatureInvalid, MalformedIntent ->
                    "the signed intent is damaged or not signed by the loader's signer: sign the program again";
            case AttachTypeMismatch ->
                    "an attach point does not fit the program the signed loader loads: fix --attach and sign again";
        };
    }

    private static String node(FailureReason reason) {
        return switch (reason) {
            case KernelUnsupported -> "the node's kernel lacks what the program needs: compare kubectl sigil nodes";
            case EnforcementUnavailable ->
                    "spec.enforcement Kernel needs in-kernel signature checking, which this node's kernel lacks "
                            + "(kubectl sigil nodes, SIGNATURES): use Auto, or run those nodes on such a kernel";
            case LoaderRejected ->
                    "the signed loader refused to run (-EBADMSG: its metadata does not hash as signed): sign it again";
            case ProgramLoadFailed ->
                    "the kernel's verifier refused a program: read its log (the tail is above; the node's BpfNodeState has it too)";
            case AttachFailed -> "the attach target is missing or busy on that node (interface, cgroup, tracepoint, function)";
            case AttachUnsupported -> "the node's kernel cannot attach this program type: see kubectl sigil nodes";
            case PinFailed -> "pinning under the agent's pin root failed: is bpffs mounted at /sys/fs/bpf on that node?";
        };
    }

    private static Optional<String> operator(String reason, String namespace) {
        return Optional.ofNullable(switch (reason) {
            case "TrustBundleUnavailable" -> "the operator cannot use its trust ConfigMap: kubectl -n " + namespace
                    + " get configmap, and the operator's log (kubectl -n " + namespace + " logs deploy/sigil-operator)";
            case "NotVerified" -> "it runs nowhere until it verifies (see Verified)";
            case "InvalidNodeSelector" -> "spec.nodeSelector cannot be evaluated: fix it and re-apply";
            case "NoMatchingNodes" -> "no Linux node matches spec.nodeSelector: kubectl get nodes -l 'SELECTOR'";
            case "RollingOut" -> "some targeted nodes have not reported this generation attached yet (see Nodes)";
            case "NodesFailed" -> "some targeted nodes failed this generation (see Nodes)";
            default -> null;
        });
    }
}
