package dev.sigil.api.testing;

import dev.sigil.api.SpecIntents;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.PodTarget;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.TcxDirection;
import dev.sigil.crds.signedbpfprogram.spec.UserFunction;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import dev.sigil.crds.signedbpfprogram.spec.intent.IntentSpec;
import dev.sigil.crds.signedbpfprogram.spec.intent.TargetConstraint;
import dev.sigil.signing.BundleSigner;
import dev.sigil.signing.KeySpec;
import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.Revocations;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.SigningKeys;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.testing.Skeletons;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resources signed the way {@code sigil sign} signs them, with a signed intent, for the tamper matrix that
 * {@code sigil verify}, the operator and the agent all run ({@link IntentTamperCases}).
 * <ul>
 *   <li>{@link #counter}: the example counter (raw tracepoint sys_enter, maps counts and data), enforcement
 *       Auto, required node label {@code sigil.dev/pool=bpf};</li>
 *   <li>{@link #attachKinds}: the signing tests' skeleton with one program per attach kind, its XDP interface,
 *       one cgroup path, the uprobe's binary and the sk_lookup namespace bound by globs ({@code eth*},
 *       {@code /sys/fs/cgroup/*}, {@code /usr/lib/*}{@code /libc.so.6}, {@code /var/run/netns/*}).</li>
 * </ul>
 */
public final class SignedFixtures {
    public static final String COUNTER_SKELETON = "examples/counter/counter.lskel.h";
    public static final String ATTACH_KINDS_SKELETON = "bpf/attach_kinds.lskel.h";
    public static final Map<String, String> REQUIRED_LABELS = Map.of("sigil.dev/pool", "bpf");
    public static final SigningKey KEY = generate("CN=Sigil intent tests");
    /** A second signer the trust bundle also trusts: its signature over another's intent must not count. */
    public static final SigningKey OTHER_TRUSTED_KEY = generate("CN=Another trusted pipeline");

    private SignedFixtures() {
    }

    public static TrustBundle trust() {
        return TrustBundle.of(List.of(KEY.certificate(), OTHER_TRUSTED_KEY.certificate()), Revocations.none());
    }

    public static LightSkeleton skeleton(String resource) {
        return Skeletons.parse(resource);
    }

    /** A certificate as a trust bundle's PEM entry holds it. */
    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SignedBundle counterBundle() {
        return BundleSigner.sign(skeleton(COUNTER_SKELETON), KEY);
    }

    public static SignedBpfProgram counter(String name) {
        SignedBundle bundle = counterBundle();
        SignedBpfProgram resource = resource(name, bundle,
                List.of(new ProgramSpec("count_sys_enter", AttachSpec.rawTracepoint("sys_enter"))),
                List.of(new MapSpec("counts"), new MapSpec("data")));
        resource.getSpec().setNodeSelector(new LabelSelectorBuilder().withMatchLabels(Map.of(
                "sigil.dev/pool", "bpf", "kubernetes.io/os", "linux")).build());
        sign(resource.getSpec(), bundle, REQUIRED_LABELS, Map.of());
        return resource;
    }

    public static SignedBpfProgram attachKinds(String name) {
        return attachKinds(name, false);
    }

    /** {@link #attachKinds} with program 7 (cgroup_skb egress) on the pods of {@link #podsAttach}, signed exactly so. */
    public static SignedBpfProgram podTargeted(String name) {
        return attachKinds(name, true);
    }

    private static SignedBpfProgram attachKinds(String name, boolean onPods) {
        SignedBundle bundle = BundleSigner.sign(skeleton(ATTACH_KINDS_SKELETON), KEY);
        SignedBpfProgram resource = resource(name, bundle, List.of(
                new ProgramSpec("on_raw_tp", AttachSpec.rawTracepoint("sys_enter")),
                new ProgramSpec("on_tp_btf", AttachSpec.tpBtf("sched_switch")),
                new ProgramSpec("on_fentry", AttachSpec.function(AttachType.Fentry, "bpf_fentry_test1")),
                new ProgramSpec("on_fexit", AttachSpec.function(AttachType.Fexit, "bpf_fentry_test1")),
                new ProgramSpec("on_lsm", AttachSpec.function(AttachType.Lsm, "file_open")),
                new ProgramSpec("on_xdp", AttachSpec.xdp("eth0", XdpMode.Generic)),
                new ProgramSpec("on_tc", AttachSpec.tcx("eth0", TcxDirection.Ingress)),
                new ProgramSpec("on_cg_egress", onPods ? podsAttach(CgroupAttachType.InetEgress)
                        : AttachSpec.cgroup("/sys/fs/cgroup/app", CgroupAttachType.InetEgress)),
                new ProgramSpec("on_connect4", AttachSpec.cgroup("/sys/fs/cgroup/web", CgroupAttachType.Inet4Connect)),
                new ProgramSpec("on_tracepoint", AttachSpec.tracepoint("syscalls", "sys_enter_openat")),
                new ProgramSpec("on_uprobe", AttachSpec.userFunction(AttachType.Uprobe,
                        new UserFunction("/usr/lib/x86_64-linux-gnu/libc.so.6", "malloc", null, null))),
                new ProgramSpec("on_sk_lookup", AttachSpec.skLookup("/var/run/netns/blue"))),
                List.of());
        sign(resource.getSpec(), bundle, Map.of(), Map.of(
                5, spec -> spec.getXdp().setInterfaceName(TargetConstraint.glob("eth*")),
                7, spec -> spec.getCgroup().setPath(onPods ? null : TargetConstraint.glob("/sys/fs/cgroup/*")),
                10, spec -> spec.getUprobe().setBinary(TargetConstraint.glob("/usr/lib/*/libc.so.6")),
                11, spec -> spec.getSkLookup().setNetns(TargetConstraint.glob("/var/run/netns/*"))));
        return resource;
    }

    /**
     * A cgroup attach point on the node's pods labelled app=web with tier a or b, in namespaces labelled team=pay;
     * mutable, so tests can narrow or widen it.
     */
    public static AttachSpec podsAttach(CgroupAttachType hook) {
        LabelSelector pods = new LabelSelectorBuilder().withMatchLabels(new java.util.HashMap<>(Map.of("app", "web")))
                .withMatchExpressions(new ArrayList<>(List.of(new LabelSelectorRequirement("tier", "In", List.of("a", "b")))))
                .build();
        LabelSelector namespaces = new LabelSelectorBuilder().withMatchLabels(new java.util.HashMap<>(Map.of("team", "pay")))
                .build();
        AttachSpec attach = AttachSpec.cgroup(null, hook);
        attach.getCgroup().setPods(new PodTarget(pods, namespaces));
        return attach;
    }

    /** Binds the spec exactly, widens the given programs' bindings, and signs the intent with {@link #KEY}. */
    public static void sign(SignedBpfProgramSpec spec, SignedBundle bundle, Map<String, String> requiredLabels,
            Map<Integer, java.util.function.Consumer<dev.sigil.crds.signedbpfprogram.spec.intent.AttachIntentSpec>> widen) {
        IntentSpec intent = SpecIntents.exactly(spec, bundle, requiredLabels);
        widen.forEach((index, change) -> change.accept(intent.getPrograms().get(index).getAttach()));
        spec.setIntent(intent);
        try {
            SpecIntents.sign(spec, KEY);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The example counter on the sys_enter raw tracepoint, on the nodes with these labels, with an intent
     * {@code signer} signed binding exactly those attach points (the node labels stay the cluster's choice);
     * enforcement and generation left to the API server.
     */
    public static SignedBpfProgram counterOnNodes(String name, SignedBundle bundle, SigningKey signer,
            Map<String, String> nodeLabels) {
        LightSkeleton counter = skeleton(COUNTER_SKELETON);
        SignedBpfProgram resource = unsigned(name, bundle,
                counter.programNames().stream().map(program -> new ProgramSpec(program, AttachSpec.rawTracepoint("sys_enter"))).toList(),
                counter.mapNames().stream().map(MapSpec::new).toList());
        resource.getSpec().setNodeSelector(new LabelSelectorBuilder().withMatchLabels(nodeLabels).build());
        try {
            SpecIntents.bindExactly(resource.getSpec(), bundle, signer);
        } catch (VerificationException e) {
            throw new IllegalStateException(e);
        }
        return resource;
    }

    private static SignedBpfProgram resource(String name, SignedBundle bundle, List<ProgramSpec> programs, List<MapSpec> maps) {
        SignedBpfProgram resource = unsigned(name, bundle, programs, maps);
        resource.getSpec().setEnforcement(Enforcement.Auto);
        resource.getMetadata().setGeneration(1L);
        return resource;
    }

    private static SignedBpfProgram unsigned(String name, SignedBundle bundle, List<ProgramSpec> programs, List<MapSpec> maps) {
        SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
        spec.setLoader(bundle.loaderBase64());
        spec.setMetadata(bundle.metadataBase64());
        spec.setHash(bundle.hash());
        spec.setSignature(bundle.signatureBase64());
        spec.setPrograms(new ArrayList<>(programs));
        spec.setMaps(new ArrayList<>(maps));
        SignedBpfProgram resource = new SignedBpfProgram();
        resource.setMetadata(new ObjectMetaBuilder().withName(name).build());
        resource.setSpec(spec);
        return resource;
    }

    private static SigningKey generate(String subject) {
        try {
            return SigningKeys.generate(KeySpec.ec("P-256"), subject, Duration.ofDays(2), Optional.empty());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
