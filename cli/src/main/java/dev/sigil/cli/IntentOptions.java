package dev.sigil.cli;

import dev.sigil.api.SignedSpecs;
import dev.sigil.api.SpecIntents;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.TcxDirection;
import dev.sigil.crds.signedbpfprogram.spec.UserFunction;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import dev.sigil.crds.signedbpfprogram.spec.intent.AttachIntentSpec;
import dev.sigil.crds.signedbpfprogram.spec.intent.CgroupIntent;
import dev.sigil.crds.signedbpfprogram.spec.intent.IntentSpec;
import dev.sigil.crds.signedbpfprogram.spec.intent.ProgramIntentSpec;
import dev.sigil.crds.signedbpfprogram.spec.intent.SkLookupIntent;
import dev.sigil.crds.signedbpfprogram.spec.intent.TargetConstraint;
import dev.sigil.crds.signedbpfprogram.spec.intent.TcxIntent;
import dev.sigil.crds.signedbpfprogram.spec.intent.UserFunctionIntent;
import dev.sigil.crds.signedbpfprogram.spec.intent.XdpIntent;
import dev.sigil.signing.AttachHint;
import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.intent.AttachCompatibility;
import dev.sigil.signing.intent.Glob;
import dev.sigil.signing.intent.IntentComparison;
import java.util.List;
import java.util.Map;

/**
 * What {@code sigil sign} binds in the signed intent: every program's attach point exactly (after checking the
 * kernel would accept it for the program's signed load attributes), except the interfaces, cgroup paths, uprobe
 * binaries and network namespace files that {@code --allow-attach} widens to a glob; the maps; the enforcement as the minimum; the required node labels.
 */
final class IntentOptions {
    private IntentOptions() {
    }

    /** @throws CliException (usage) naming the program and both types, or the option that does not fit */
    static void bind(SignedBpfProgramSpec spec, LightSkeleton skeleton, SignedBundle bundle, SigningKey key,
            Map<String, String> requiredLabels, List<String> allowAttach) {
        try {
            AttachCompatibility.require(SignedSpecs.claims(spec).programs(), skeleton.programLoads());
        } catch (VerificationException e) {
            throw new CliException(CliException.USAGE, e.getMessage(), e);
        }
        IntentSpec intent = SpecIntents.exactly(spec, bundle, requiredLabels);
        for (String entry : allowAttach) {
            int equals = entry.indexOf('=');
            String program = equals > 0 ? entry.substring(0, equals) : "";
            ProgramIntentSpec bound = intent.getPrograms().stream().filter(p -> p.getName().equals(program)).findFirst()
                    .orElseThrow(() -> new CliException(CliException.USAGE, "--allow-attach '" + entry
                            + "' is not PROG=TYPE:GLOB for a program of " + skeleton.name() + " (" + skeleton.programNames() + ")"));
            bound.setAttach(pattern(entry, entry.substring(equals + 1)));
        }
        spec.setIntent(intent);
        try {
            IntentComparison.requireSatisfied(SignedSpecs.intent(intent), bundle, SignedSpecs.claims(spec));
            SpecIntents.sign(spec, key);
        } catch (VerificationException e) {
            throw new CliException(CliException.USAGE, "--attach and --allow-attach disagree: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, "--allow-attach: " + e.getMessage(), e);
        }
    }

    private static AttachIntentSpec pattern(String entry, String notation) {
        AttachIntentSpec attach = new AttachIntentSpec();
        try {
            AttachHint hint = AttachHint.parse(notation);
            String target = hint.target();
            switch (hint.kind()) {
                case "xdp" -> {
                    String[] parts = target.split(":", -1);
                    attach.setType(AttachType.Xdp);
                    attach.setXdp(new XdpIntent(glob(parts[0]), parts.length > 1
                            ? AttachSpecs.named(XdpMode.values(), parts[1], "XDP mode") : XdpMode.Generic));
                }
                case "tcx" -> {
                    String[] parts = target.split(":", -1);
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("tcx is IFACE_GLOB:ingress|egress");
                    }
                    attach.setType(AttachType.Tcx);
                    attach.setTcx(new TcxIntent(glob(parts[0]),
                            AttachSpecs.named(TcxDirection.values(), parts[1], "tcx direction")));
                }
                case "cgroup" -> {
                    int colon = target.lastIndexOf(':');
                    if (colon < 0) {
                        throw new IllegalArgumentException("cgroup is /PATH_GLOB:ATTACH_TYPE or pods:SELECTOR[:namespaces:SELECTOR]:ATTACH_TYPE");
                    }
                    CgroupAttachType hook = AttachSpecs.named(CgroupAttachType.values(), target.substring(colon + 1), "cgroup attach type");
                    attach.setType(AttachType.Cgroup);
                    attach.setCgroup(target.startsWith(SelectorNotation.PODS + ":")
                            ? CgroupIntent.ofPods(SelectorNotation.podTarget(target.substring(0, colon)), hook)
                            : new CgroupIntent(glob(target.substring(0, colon)), hook));
                }
                case "uprobe", "uretprobe" -> {
                    UserFunction function = AttachSpecs.userFunction(target, binary -> glob(binary).getGlob());
                    UserFunctionIntent binding = new UserFunctionIntent(
                            TargetConstraint.glob(function.getBinary()), function.getSymbol(),
                            function.getOffset() == null ? 0L : function.getOffset(), function.getPid());
                    if (hint.kind().equals("uprobe")) {
                        attach.setType(AttachType.Uprobe);
                        attach.setUprobe(binding);
                    } else {
                        attach.setType(AttachType.Uretprobe);
                        attach.setUretprobe(binding);
                    }
                }
                case "sk_lookup" -> {
                    attach.setType(AttachType.SkLookup);
                    attach.setSkLookup(new SkLookupIntent(glob(target)));
                }
                default -> throw new IllegalArgumentException("only xdp and tcx interfaces, cgroup paths and pods, uprobe binaries "
                        + "and sk_lookup network namespaces may be patterns; " + hint.kind() + " targets are signed exactly");
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, "--allow-attach " + entry + ": " + e.getMessage(), e);
        }
        return attach;
    }

    private static TargetConstraint glob(String pattern) {
        return TargetConstraint.glob(Glob.parse(pattern).toString());
    }
}
