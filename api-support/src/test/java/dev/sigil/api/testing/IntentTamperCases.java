package dev.sigil.api.testing;

import dev.sigil.api.SignedSpecs;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.Protocol;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.Tcx;
import dev.sigil.crds.signedbpfprogram.spec.TcxDirection;
import dev.sigil.crds.signedbpfprogram.spec.UserFunction;
import dev.sigil.crds.signedbpfprogram.spec.Xdp;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import dev.sigil.crds.signedbpfprogram.spec.intent.TargetConstraint;
import dev.sigil.signing.IntentSignatures;
import dev.sigil.signing.ReasonCode;
import dev.sigil.crds.signedbpfprogram.spec.PodTarget;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The tamper matrix of the signed intent: one mutation of a signed resource per field the intent binds (and
 * of the intent and its signature themselves), each with the verdict every verifier must give. The same
 * cases run through {@code sigil verify}, the operator's Verified condition and the agent on the real kernel.
 *
 * @param name     what is changed, for test names
 * @param base     {@link SignedFixtures#counter}, {@link SignedFixtures#attachKinds} or its pod-targeted form
 * @param mutation applied to a freshly signed resource
 * @param verdict  the reason code, or empty where the change stays within what the intent allows
 * @param mentions text the rejection message must contain (the field it names)
 */
public record IntentTamperCases(String name, Function<String, SignedBpfProgram> base, Consumer<SignedBpfProgram> mutation,
        Optional<ReasonCode> verdict, String mentions) {

    @Override
    public String toString() {
        return name;
    }

    /** A fresh resource of this case's base with its mutation applied. */
    public SignedBpfProgram resource(String resourceName) {
        SignedBpfProgram resource = base.apply(resourceName);
        mutation.accept(resource);
        return resource;
    }

    public static List<IntentTamperCases> all() {
        List<IntentTamperCases> cases = new ArrayList<>();
        cases.addAll(counterCases());
        cases.addAll(attachKindCases());
        cases.addAll(podTargetCases());
        return cases;
    }

    /** The cases a verifier must reject. */
    public static List<IntentTamperCases> rejected() {
        return all().stream().filter(c -> c.verdict().isPresent()).toList();
    }

    private static List<IntentTamperCases> counterCases() {
        return List.of(
                mismatch("raw tracepoint name", r -> programs(r).getFirst().getAttach().getRawTracepoint().setName("sys_exit"),
                        "spec.programs[0].attach.rawTracepoint.name"),
                mismatch("attach type raw tracepoint to tp_btf",
                        r -> programs(r).getFirst().setAttach(AttachSpec.tpBtf("sys_enter")), "spec.programs[0].attach.type"),
                mismatch("attach type raw tracepoint to xdp",
                        r -> programs(r).getFirst().setAttach(AttachSpec.xdp("eth0", XdpMode.Generic)),
                        "spec.programs[0].attach.type"),
                mismatch("program renamed", r -> programs(r).getFirst().setName("count_sys_exit"), "spec.programs lists"),
                mismatch("program added", r -> programs(r).add(new ProgramSpec("extra", AttachSpec.rawTracepoint("sys_exit"))),
                        "spec.programs lists"),
                mismatch("map pinned", r -> r.getSpec().getMaps().getFirst().setPin(true), "spec.maps[0].pin"),
                mismatch("map dropped", r -> r.getSpec().getMaps().removeLast(), "spec.maps lists"),
                mismatch("map renamed", r -> r.getSpec().getMaps().set(1, new MapSpec("bss")), "spec.maps lists"),
                mismatch("enforcement downgraded", r -> r.getSpec().setEnforcement(Enforcement.Agent), "spec.enforcement"),
                accepted("enforcement strengthened", r -> r.getSpec().setEnforcement(Enforcement.Kernel)),
                mismatch("required label dropped", r -> r.getSpec().setNodeSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Map.of("kubernetes.io/os", "linux")).build()), "sigil.dev/pool=bpf"),
                mismatch("required label changed", r -> r.getSpec().getNodeSelector().setMatchLabels(Map.of("sigil.dev/pool", "gpu")),
                        "sigil.dev/pool=bpf"),
                accepted("node selector narrowed", r -> r.getSpec().getNodeSelector().setMatchLabels(Map.of(
                        "sigil.dev/pool", "bpf", "kubernetes.io/os", "linux", "zone", "a"))),
                rejected("protocol changed", r -> r.getSpec().setProtocol(Protocol.KernelMetadataV2), ReasonCode.UnsupportedProtocol,
                        "KernelMetadataV2"),
                rejected("intent edited to match a changed tracepoint", r -> {
                    programs(r).getFirst().getAttach().getRawTracepoint().setName("sys_exit");
                    r.getSpec().getIntent().getPrograms().getFirst().getAttach().getRawTracepoint().setName("sys_exit");
                }, ReasonCode.IntentSignatureInvalid, "does not verify"),
                rejected("intent edited to a weaker enforcement", r -> {
                    r.getSpec().setEnforcement(Enforcement.Agent);
                    r.getSpec().getIntent().setMinimumEnforcement(Enforcement.Agent);
                }, ReasonCode.IntentSignatureInvalid, "does not verify"),
                rejected("intent edited to pin a map", r -> {
                    r.getSpec().getMaps().getFirst().setPin(true);
                    r.getSpec().getIntent().getMaps().getFirst().setPin(true);
                }, ReasonCode.IntentSignatureInvalid, "does not verify"),
                rejected("intent edited to drop the required labels", r -> r.getSpec().getIntent().setRequiredNodeLabels(null),
                        ReasonCode.IntentSignatureInvalid, "does not verify"),
                rejected("intent signed by another trusted signer", r -> resign(r, SignedFixtures.OTHER_TRUSTED_KEY),
                        ReasonCode.IntentSignatureInvalid, "not by the loader's signer"),
                rejected("intent signature bit flipped", r -> {
                    byte[] signature = Base64.getDecoder().decode(r.getSpec().getIntentSignature());
                    signature[signature.length - 5] ^= 0x01;
                    r.getSpec().setIntentSignature(Base64.getEncoder().encodeToString(signature));
                }, ReasonCode.IntentSignatureInvalid, "intent"),
                rejected("intent signature not base64", r -> r.getSpec().setIntentSignature("@@@"),
                        ReasonCode.IntentSignatureInvalid, "base64"),
                rejected("intent removed", r -> {
                    r.getSpec().setIntent(null);
                    r.getSpec().setIntentSignature(null);
                }, ReasonCode.IntentMissing, "no signed intent"),
                rejected("intent of another signed program swapped in", r -> {
                    SignedBpfProgramSpec other = SignedFixtures.attachKinds("other").getSpec();
                    r.getSpec().setIntent(other.getIntent());
                    r.getSpec().setIntentSignature(other.getIntentSignature());
                }, ReasonCode.IntentMismatch, "spec.loader"),
                rejected("intent format unknown", r -> r.getSpec().getIntent().setFormat("SigilIntentV2"),
                        ReasonCode.MalformedIntent, "SigilIntentV2"));
    }

    /** Program 5 (XDP, signed for {@code eth*}) on the interfaces matching {@code pattern}. */
    private static void pattern(SignedBpfProgram resource, String pattern) {
        Xdp xdp = programs(resource).get(5).getAttach().getXdp();
        xdp.setInterfaceName(null);
        xdp.setInterfacePattern(pattern);
    }

    private static List<IntentTamperCases> attachKindCases() {
        return List.of(
                kinds("xdp interface within its glob", r -> programs(r).get(5).getAttach().getXdp().setInterfaceName("eth7"),
                        Optional.empty(), ""),
                kinds("xdp interface outside its glob", r -> programs(r).get(5).getAttach().getXdp().setInterfaceName("wlan0"),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[5].attach.xdp.interface"),
                kinds("xdp on the node's primary interface under its glob", r -> {
                    Xdp xdp = programs(r).get(5).getAttach().getXdp();
                    xdp.setInterfaceName(null);
                    xdp.setPrimaryInterface(true);
                }, Optional.empty(), ""),
                kinds("xdp on interfaces matching the signed glob itself", r -> pattern(r, "eth*"), Optional.empty(), ""),
                kinds("xdp on a pattern without wildcards the signed glob admits", r -> pattern(r, "eth3"),
                        Optional.empty(), ""),
                kinds("xdp on a pattern wider than the signed glob", r -> pattern(r, "*"),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[5].attach.xdp.interfacePattern is '*', wider"),
                kinds("xdp on a pattern as wide as the signed glob but spelled otherwise", r -> pattern(r, "e*"),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[5].attach.xdp.interfacePattern is 'e*'"),
                kinds("xdp on a pattern narrower than the signed glob but not it", r -> pattern(r, "eth1*"),
                        Optional.of(ReasonCode.IntentMismatch), "signed intent's pattern 'eth*'"),
                kinds("tcx bound exactly, given as a pattern", r -> {
                    Tcx tcx = programs(r).get(6).getAttach().getTcx();
                    tcx.setInterfacePattern("eth?");
                    tcx.setInterfaceName(null);
                }, Optional.of(ReasonCode.IntentMismatch), "spec.programs[6].attach.tcx.interfacePattern is 'eth?'"),
                kinds("xdp mode", r -> programs(r).get(5).getAttach().getXdp().setMode(XdpMode.Driver),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[5].attach.xdp.mode"),
                kinds("tcx interface bound exactly", r -> programs(r).get(6).getAttach().getTcx().setInterfaceName("eth1"),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[6].attach.tcx.interface"),
                kinds("tcx direction", r -> programs(r).get(6).getAttach().getTcx().setDirection(TcxDirection.Egress),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[6].attach.tcx.direction"),
                kinds("cgroup path within its glob", r -> programs(r).get(7).getAttach().getCgroup().setPath("/sys/fs/cgroup/db"),
                        Optional.empty(), ""),
                kinds("cgroup path one level deeper than its glob", r -> programs(r).get(7).getAttach().getCgroup()
                        .setPath("/sys/fs/cgroup/app/nested"), Optional.of(ReasonCode.IntentMismatch), "spec.programs[7].attach.cgroup.path"),
                kinds("cgroup path escaping its glob with ..", r -> programs(r).get(7).getAttach().getCgroup().setPath("/sys/fs/cgroup/.."),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[7].attach.cgroup.path"),
                kinds("cgroup path bound exactly", r -> programs(r).get(8).getAttach().getCgroup().setPath("/sys/fs/cgroup/other"),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[8].attach.cgroup.path"),
                kinds("cgroup attach type", r -> programs(r).get(7).getAttach().getCgroup()
                        .setAttachType(CgroupAttachType.InetIngress), Optional.of(ReasonCode.IntentMismatch),
                        "spec.programs[7].attach.cgroup.attachType"),
                kinds("tp_btf target", r -> programs(r).get(1).getAttach().getTpBtf().setName("no_such_tp"),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[1].attach.tpBtf.name"),
                kinds("fentry function", r -> programs(r).get(2).getAttach().getFentry().setFunction("vfs_read"),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[2].attach.fentry.function"),
                kinds("fexit function", r -> programs(r).get(3).getAttach().getFexit().setFunction("vfs_read"),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[3].attach.fexit.function"),
                kinds("lsm hook", r -> programs(r).get(4).getAttach().getLsm().setFunction("bprm_check_security"),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[4].attach.lsm.function"),
                kinds("tracepoint category", r -> programs(r).get(9).getAttach().getTracepoint().setCategory("sched"),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[9].attach.tracepoint.category"),
                kinds("tracepoint name", r -> programs(r).get(9).getAttach().getTracepoint().setName("sys_enter_execve"),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[9].attach.tracepoint.name"),
                kinds("uprobe binary within its glob", r -> uprobe(r).setBinary("/usr/lib/aarch64-linux-gnu/libc.so.6"),
                        Optional.empty(), ""),
                kinds("uprobe binary outside its glob", r -> uprobe(r).setBinary("/tmp/libc.so.6"),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[10].attach.uprobe.binary"),
                kinds("uprobe binary escaping its glob with ..", r -> uprobe(r).setBinary("/usr/lib/../libc.so.6"),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[10].attach.uprobe.binary"),
                kinds("uprobe symbol", r -> uprobe(r).setSymbol("free"),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[10].attach.uprobe.symbol"),
                kinds("uprobe offset", r -> uprobe(r).setOffset(4L),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[10].attach.uprobe.offset"),
                kinds("uprobe offset 0 written out", r -> uprobe(r).setOffset(0L), Optional.empty(), ""),
                kinds("uprobe pid filter added", r -> uprobe(r).setPid(42),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[10].attach.uprobe.pid"),
                kinds("uprobe pid other than the signed one", r -> {
                    uprobe(r).setPid(42);
                    r.getSpec().getIntent().getPrograms().get(10).getAttach().getUprobe().setPid(42);
                    resign(r, SignedFixtures.KEY);
                    uprobe(r).setPid(43);
                }, Optional.of(ReasonCode.IntentMismatch), "spec.programs[10].attach.uprobe.pid is '43'"),
                kinds("attach type uprobe to uretprobe", r -> programs(r).get(10).setAttach(AttachSpec.userFunction(
                        AttachType.Uretprobe, uprobe(r))), Optional.of(ReasonCode.IntentMismatch), "spec.programs[10].attach.type"),
                kinds("sk_lookup namespace within its glob", r -> programs(r).get(11).getAttach().getSkLookup()
                        .setNetns("/var/run/netns/green"), Optional.empty(), ""),
                kinds("sk_lookup namespace outside its glob", r -> programs(r).get(11).getAttach().getSkLookup()
                        .setNetns("/proc/1/ns/net"), Optional.of(ReasonCode.IntentMismatch), "spec.programs[11].attach.skLookup.netns"),
                kinds("signed uprobe attach for a tracepoint program", r -> {
                    programs(r).get(9).setAttach(AttachSpec.userFunction(AttachType.Uprobe, uprobe(r)));
                    r.getSpec().getIntent().getPrograms().get(9).setAttach(
                            dev.sigil.api.SpecIntents.exactly(r.getSpec(), SignedSpecsBundle.of(r), Map.of())
                                    .getPrograms().get(9).getAttach());
                    resign(r, SignedFixtures.KEY);
                }, Optional.of(ReasonCode.AttachTypeMismatch), "on_tracepoint"),
                kinds("signed sk_lookup attach for a uprobe program", r -> {
                    programs(r).get(10).setAttach(AttachSpec.skLookup("/var/run/netns/blue"));
                    r.getSpec().getIntent().getPrograms().get(10).setAttach(
                            dev.sigil.api.SpecIntents.exactly(r.getSpec(), SignedSpecsBundle.of(r), Map.of())
                                    .getPrograms().get(10).getAttach());
                    resign(r, SignedFixtures.KEY);
                }, Optional.of(ReasonCode.AttachTypeMismatch), "on_uprobe"),
                kinds("signed glob with a reserved character", r -> r.getSpec().getIntent().getPrograms().get(5).getAttach()
                        .getXdp().setInterfaceName(TargetConstraint.glob("eth[0-9]")), Optional.of(ReasonCode.MalformedIntent),
                        "reserved"),
                kinds("signed tp_btf target that is not the program's own", r -> {
                    programs(r).get(1).getAttach().getTpBtf().setName("sys_enter");
                    r.getSpec().getIntent().getPrograms().get(1).getAttach().getTpBtf().setName("sys_enter");
                    resign(r, SignedFixtures.KEY);
                }, Optional.of(ReasonCode.AttachTypeMismatch), "on_tp_btf"),
                kinds("signed xdp attach for a raw tracepoint program", r -> {
                    programs(r).getFirst().setAttach(AttachSpec.xdp("eth0", XdpMode.Generic));
                    r.getSpec().getIntent().getPrograms().getFirst().setAttach(
                            dev.sigil.api.SpecIntents.exactly(r.getSpec(), SignedSpecsBundle.of(r), Map.of())
                                    .getPrograms().getFirst().getAttach());
                    resign(r, SignedFixtures.KEY);
                }, Optional.of(ReasonCode.AttachTypeMismatch), "on_raw_tp"));
    }

    /**
     * Program 7 of {@link SignedFixtures#attachKinds} signed for pods labelled app=web with tier a or b, in namespaces
     * labelled team=pay: the resource's selectors may add terms (select fewer pods), never drop or widen one.
     */
    private static List<IntentTamperCases> podTargetCases() {
        String pods = "spec.programs[7].attach.cgroup.pods";
        return List.of(
                pods("pod target as signed", r -> { }, Optional.empty(), ""),
                pods("pod selector narrowed by a label", r -> podSelector(r).getMatchLabels().put("zone", "a"), Optional.empty(), ""),
                pods("pod selector values reordered", r -> podSelector(r).getMatchExpressions().getFirst()
                        .setValues(List.of("b", "a")), Optional.empty(), ""),
                pods("namespace selector narrowed", r -> podTarget(r).getNamespaceSelector().getMatchLabels().put("env", "prod"),
                        Optional.empty(), ""),
                pods("pod selector label dropped", r -> podSelector(r).getMatchLabels().remove("app"),
                        Optional.of(ReasonCode.IntentMismatch), pods),
                pods("pod selector label changed", r -> podSelector(r).getMatchLabels().put("app", "db"),
                        Optional.of(ReasonCode.IntentMismatch), pods),
                pods("pod selector values widened", r -> podSelector(r).getMatchExpressions().getFirst()
                        .setValues(List.of("a", "b", "c")), Optional.of(ReasonCode.IntentMismatch), pods),
                pods("pod selector emptied", r -> podTarget(r).setSelector(new LabelSelector()),
                        Optional.of(ReasonCode.IntentMismatch), pods),
                pods("namespace selector dropped", r -> podTarget(r).setNamespaceSelector(null),
                        Optional.of(ReasonCode.IntentMismatch), pods),
                pods("pods replaced by a cgroup path", r -> {
                    programs(r).get(7).getAttach().getCgroup().setPods(null);
                    programs(r).get(7).getAttach().getCgroup().setPath("/sys/fs/cgroup/app");
                }, Optional.of(ReasonCode.IntentMismatch), "spec.programs[7].attach.cgroup.path"),
                pods("pod target hook", r -> programs(r).get(7).getAttach().getCgroup().setAttachType(CgroupAttachType.InetIngress),
                        Optional.of(ReasonCode.IntentMismatch), "spec.programs[7].attach.cgroup.attachType"),
                pods("intent edited to widen the pod selector", r -> {
                    podSelector(r).getMatchLabels().remove("app");
                    r.getSpec().getIntent().getPrograms().get(7).getAttach().getCgroup().getPods().getSelector()
                            .getMatchLabels().remove("app");
                }, Optional.of(ReasonCode.IntentSignatureInvalid), "does not verify"));
    }

    private static PodTarget podTarget(SignedBpfProgram resource) {
        return programs(resource).get(7).getAttach().getCgroup().getPods();
    }

    private static LabelSelector podSelector(SignedBpfProgram resource) {
        return podTarget(resource).getSelector();
    }

    private static IntentTamperCases pods(String name, Consumer<SignedBpfProgram> mutation, Optional<ReasonCode> verdict,
            String mentions) {
        return new IntentTamperCases(name, SignedFixtures::podTargeted, mutation, verdict, mentions);
    }

    private static UserFunction uprobe(SignedBpfProgram resource) {
        return programs(resource).get(10).getAttach().getUprobe();
    }

    private static List<ProgramSpec> programs(SignedBpfProgram resource) {
        return resource.getSpec().getPrograms();
    }

    private static void resign(SignedBpfProgram resource, dev.sigil.signing.SigningKey key) {
        try {
            byte[] canonical = SignedSpecs.intent(resource.getSpec().getIntent()).canonicalBytes();
            resource.getSpec().setIntentSignature(Base64.getEncoder().encodeToString(IntentSignatures.sign(canonical, key)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static IntentTamperCases mismatch(String name, Consumer<SignedBpfProgram> mutation, String mentions) {
        return rejected(name, mutation, ReasonCode.IntentMismatch, mentions);
    }

    private static IntentTamperCases rejected(String name, Consumer<SignedBpfProgram> mutation, ReasonCode reason,
            String mentions) {
        return new IntentTamperCases(name, SignedFixtures::counter, mutation, Optional.of(reason), mentions);
    }

    private static IntentTamperCases accepted(String name, Consumer<SignedBpfProgram> mutation) {
        return new IntentTamperCases(name, SignedFixtures::counter, mutation, Optional.empty(), "");
    }

    private static IntentTamperCases kinds(String name, Consumer<SignedBpfProgram> mutation, Optional<ReasonCode> verdict,
            String mentions) {
        return new IntentTamperCases(name, SignedFixtures::attachKinds, mutation, verdict, mentions);
    }

    /** The bundle a resource carries, for building an intent of it. */
    private static final class SignedSpecsBundle {
        static dev.sigil.signing.SignedBundle of(SignedBpfProgram resource) {
            try {
                return SignedSpecs.read(resource.getSpec()).bundle();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

}
