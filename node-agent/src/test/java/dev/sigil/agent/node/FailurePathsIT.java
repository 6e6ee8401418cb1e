package dev.sigil.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.HostStatus;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.agent.translate.StatusTranslation;
import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.kernel.Support;
import dev.sigil.bpf.loader.AppliedEnforcement;
import dev.sigil.bpf.loader.LoaderHashV1Loader;
import dev.sigil.bpf.pin.PinDirectory;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.bpf.testing.LeakCheck;
import dev.sigil.bpf.testing.RecordingBridge;
import dev.sigil.signing.testing.Shell;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.Protocol;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.UserFunction;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import dev.sigil.signing.BundleVerifier;
import dev.sigil.signing.CmsSigner;
import dev.sigil.signing.KeySpec;
import dev.sigil.signing.LoaderHashV1;
import dev.sigil.signing.Revocations;
import dev.sigil.signing.Sha256;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.SigningKeys;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.VerifiedBundle;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way the host can fail on the real kernel, each checked the same way: the failure carries its
 * reason code and a message, and afterwards the process holds no file descriptor it did not hold before,
 * the pin root is as it was, and every program, map and link created meanwhile is gone from the kernel's
 * id tables. Cases that replace or repair something running compare against the state with it running.
 */
class FailurePathsIT {
    private World world;

    @BeforeEach
    void start() {
        world = new World(KernelAssumptions.requireLoaderHashV1());
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (world != null) {
            world.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void failsWithItsReasonAndLeavesNothingBehind(Failure failure) throws Exception {
        failure.given().prepare(world);
        LeakCheck leaks = LeakCheck.start(failure.name(), world.bridge, world.pinRoot());

        Outcome outcome = failure.when().run(world);

        assertThat(outcome.reason()).as("%s: reason (%s)", failure, outcome.message()).isEqualTo(failure.reason());
        assertThat(outcome.message()).as("%s: message", failure).isNotBlank();
        leaks.assertNothingLeaked();
        failure.then().check(world, outcome);
    }

    static Stream<Failure> failures() {
        return Stream.of(
                // Verification: nothing reaches the kernel.
                refusedBeforeTheKernel("protocol the agent does not know", "UnsupportedProtocol", w -> w.apply(w.counter(spec -> spec
                        .setProtocol(Protocol.KernelMetadataV2)))),
                refusedBeforeTheKernel("loader that is not base64", "MalformedLoader", w -> w.apply(w.counter(spec -> spec
                        .setLoader("not base64!")))),
                refusedBeforeTheKernel("metadata that is not base64", "MalformedMetadata", w -> w.apply(w.counter(spec -> spec
                        .setMetadata("not base64!")))),
                refusedBeforeTheKernel("signature that is not CMS", "MalformedSignature", w -> w.apply(w.counter(spec -> spec
                        .setSignature(TestBundles.base64("not a signature".getBytes()))))),
                refusedBeforeTheKernel("tampered metadata", "HashMismatch", w -> w.apply(w.counter(TestBundles.withMetadata(
                        w.counterBundle(), TestBundles.flipByte(w.counterBundle().metadata(), 100))))),
                refusedBeforeTheKernel("loader without the prologue", "PrologueMismatch", w -> w.apply(w.counter(
                        signedAsIs(TestBundles.counter().loaderInstructions(), TestBundles.counter().metadata(),
                                TestBundles.key())))),
                refusedBeforeTheKernel("tampered loader", "SignatureInvalid", w -> w.apply(w.counter(new SignedBundle(
                        LoaderHashV1.NAME, TestBundles.flipByte(w.counterBundle().loader(), LoaderHashV1.PROLOGUE_BYTES + 4),
                        w.counterBundle().metadata(), w.counterBundle().hash(), w.counterBundle().signature())))),
                refusedBeforeTheKernel("untrusted signer", "UntrustedSigner", w -> w.apply(w.counter(
                        TestBundles.sign(TestBundles.counter(), TestBundles.untrustedKey())))),
                refusedBeforeTheKernel("revoked signer", "Revoked", w -> w.apply(w.counter(
                        TestBundles.sign(TestBundles.counter(), Keys.REVOKED)))),
                refusedBeforeTheKernel("expired certificate", "CertificateExpired", w -> w.apply(w.counter(
                        TestBundles.sign(TestBundles.counter(), Keys.EXPIRED)))),
                refusedBeforeTheKernel("certificate not yet valid", "CertificateNotYetValid", w -> w.apply(w.counter(
                        TestBundles.sign(TestBundles.counter(), Keys.NOT_YET_VALID)))),
                refusedBeforeTheKernel("certificate whose key usage excludes signatures", "KeyUsageNotAllowed", w -> w.apply(w.counter(
                        TestBundles.sign(TestBundles.counter(), Keys.NO_DIGITAL_SIGNATURE)))),
                failing("running resource that stops verifying is unloaded", "SignatureInvalid", w -> {
                    assertThat(w.apply(w.counter(w.counterBundle())).state().getPhase()).isEqualTo(ProgramPhase.Attached);
                    return w.apply(w.counter(2, new SignedBundle(LoaderHashV1.NAME, w.counterBundle().loader(),
                            w.counterBundle().metadata(), w.counterBundle().hash(),
                            TestBundles.flipByte(w.counterBundle().signature(), w.counterBundle().signature().length - 3))));
                }).then((w, outcome) -> {
                    assertThat(outcome.message()).contains("running programs were unloaded");
                    assertThat(w.pinRoot().resolve(w.name)).doesNotExist();
                }),

                // The kernel cannot do what the resource asks: refused before anything is loaded.
                refusedBeforeTheKernel("Kernel enforcement where the kernel cannot check signatures", "EnforcementUnavailable",
                        w -> w.apply(w.counter(Enforcement.Kernel)))
                        .given(w -> w.useHost(withSignatureVerification(w.kernel,
                                Support.unsupported("EOPNOTSUPP: no signature checks")))),
                refusedBeforeTheKernel("bpf() unusable", "KernelUnsupported", w -> w.apply(w.counter(w.counterBundle())))
                        .given(w -> w.useHost(withoutBpf(w.kernel))),
                refusedBeforeTheKernel("attach type the probe found unsupported", "AttachUnsupported", w -> w.apply(w.resource(
                        "bpf/fentry_count.lskel.h", "fentry_count", AttachSpec.function(AttachType.Fentry, "bpf_fentry_test1"))))
                        .given(w -> w.useHost(withAttach(w.kernel, AttachKind.Fentry,
                                Support.unsupported("EPERM from the probe")))),

                // The kernel refuses while loading.
                failing("verifier refuses a program the signed loader loads", "ProgramLoadFailed", w -> w.apply(
                        w.resource("bpf/unchecked_lookup.lskel.h", "deref_unchecked", AttachSpec.rawTracepoint("sys_enter"))))
                        .then((w, outcome) -> assertThat(outcome.verifierLogTail()).contains("invalid mem access")),
                failing("fentry program the kernel refuses although the probe allowed it", "ProgramLoadFailed", w -> w.apply(
                        w.resource("bpf/fentry_count.lskel.h", "fentry_count",
                                AttachSpec.function(AttachType.Fentry, "bpf_fentry_test1"))))
                        .given(w -> {
                            if (w.kernel.attach(AttachKind.Fentry).isSupported()) {
                                Assumptions.abort("this kernel allows fentry programs: their refusal cannot be provoked");
                            }
                            w.useHost(withAttach(w.kernel, AttachKind.Fentry, Support.supported("")));
                        }),
                failing("verifier refuses the signed loader itself", "ProgramLoadFailed", w -> w.apply(w.counter(
                        signedAsIs(LoaderHashV1.signedLoader(withoutFinalExit(TestBundles.counter().loaderInstructions()),
                                TestBundles.counter().metadata()), TestBundles.counter().metadata(), TestBundles.key()))))
                        .then((w, outcome) -> assertThat(outcome.verifierLogTail()).contains("last insn is not an exit or jmp")),
                failing("signed loader returns EBADMSG for metadata it was not signed with", "LoaderRejected",
                        FailurePathsIT::loadTamperedMetadataPastTheAgentsOwnCheck)
                        .then((w, outcome) -> assertThat(outcome.message()).contains("EBADMSG", "-74")),
                refusedBeforeTheKernel("resource names a program the skeleton does not have", "ProgramMismatch", w -> w.apply(
                        w.counter(List.of(new ProgramSpec("count_sys_exit", AttachSpec.rawTracepoint("sys_exit"))),
                                List.of(new MapSpec("counts"), new MapSpec("data"))))),
                failing("resource lists fewer maps than the skeleton", "LoaderRejected", w -> w.apply(w.counter(
                        List.of(new ProgramSpec("count_sys_enter", AttachSpec.rawTracepoint("sys_enter"))),
                        List.of(new MapSpec("counts"))))),

                // Attaching fails after the programs are loaded.
                failing("XDP on a missing interface", "AttachFailed", w -> w.apply(w.resource("bpf/xdp_count.lskel.h",
                        "xdp_count", AttachSpec.xdp("sgn" + w.suffix, XdpMode.Generic))))
                        .then((w, outcome) -> assertThat(outcome.message()).contains("sgn" + w.suffix, "ENODEV")),
                failing("cgroup that does not exist", "AttachFailed", w -> w.apply(w.resource("bpf/cgroup_count.lskel.h",
                        "cgroup_count", AttachSpec.cgroup("/sys/fs/cgroup/sigil-missing-" + w.suffix,
                                CgroupAttachType.InetIngress))))
                        .then((w, outcome) -> assertThat(outcome.message()).contains("ENOENT")),
                failing("raw tracepoint that does not exist", "AttachFailed", w -> w.apply(w.counter(
                        List.of(new ProgramSpec("count_sys_enter", AttachSpec.rawTracepoint("sigil_no_such_tracepoint"))),
                        COUNTER_MAPS))),
                failing("classic tracepoint that does not exist", "AttachFailed", w -> w.apply(w.resource(
                        "bpf/tracept_count.lskel.h", "tracept_count", AttachSpec.tracepoint("syscalls", "sys_enter_sigil"))))
                        .then((w, outcome) -> assertThat(outcome.message()).contains("no tracepoint syscalls/sys_enter_sigil")),
                failing("uprobe on a binary that does not exist", "AttachFailed", w -> w.apply(w.resource(
                        "bpf/uprobe_count.lskel.h", "uprobe_count", w.uprobe("/usr/bin/sigil-missing-" + w.suffix, "main", null))))
                        .then((w, outcome) -> assertThat(outcome.message()).contains("sigil-missing-" + w.suffix, "does not exist")),
                failing("uprobe on a function the binary does not have", "AttachFailed", w -> w.apply(w.resource(
                        "bpf/uprobe_count.lskel.h", "uprobe_count", w.uprobe(javaExecutable(), "sigil_no_such_function", null))))
                        .then((w, outcome) -> assertThat(outcome.message()).contains("has no function sigil_no_such_function")),
                failing("uprobe for a process that does not exist", "AttachFailed", w -> w.apply(w.resource(
                        "bpf/uprobe_count.lskel.h", "uprobe_count", w.uprobe(javaExecutable(), "main", 4_194_304))))
                        .then((w, outcome) -> assertThat(outcome.message()).contains("ESRCH")),
                failing("sk_lookup on a network namespace that does not exist", "AttachFailed", w -> w.apply(w.resource(
                        "bpf/sk_lookup_count.lskel.h", "sk_lookup_count", AttachSpec.skLookup("/var/run/netns/sigil-missing-"
                                + w.suffix))))
                        .then((w, outcome) -> assertThat(outcome.message()).contains("ENOENT")),
                refusedBeforeTheKernel("program type that does not fit the attach type", "AttachTypeMismatch", w -> w.apply(w.counter(
                        List.of(new ProgramSpec("count_sys_enter", AttachSpec.xdp(w.networkInterface(),
                                XdpMode.Generic))), COUNTER_MAPS)))
                        .then((w, outcome) -> assertThat(outcome.message()).contains("raw_tracepoint", "Xdp")),
                failing("driver-mode XDP on an interface without native XDP", "AttachUnsupported", w -> w.apply(
                        w.resource("bpf/xdp_count.lskel.h", "xdp_count",
                                AttachSpec.xdp(w.networkInterface(), XdpMode.Driver))))
                        .then((w, outcome) -> assertThat(outcome.message()).contains("EOPNOTSUPP")),

                // Pinning fails after the programs are attached.
                failing("pin root that is not on bpffs", "PinFailed", w -> w.apply(w.counter(w.counterBundle())))
                        .given(w -> w.useHost(w.kernel, Files.createTempDirectory("sigil-not-bpffs-"))),
                failing("pin root on a read-only bpffs", "PinFailed", w -> w.apply(w.counter(w.counterBundle())))
                        .given(w -> w.useHost(w.kernel, w.readOnlyBpffs()))
                        .then((w, outcome) -> assertThat(outcome.message()).contains("Read-only file system")),
                failing("a directory where the link pin goes", "PinFailed", w -> w.apply(w.counter(w.counterBundle())))
                        .given(w -> Files.createDirectories(new PinDirectory(w.bridge, w.pinRoot()).linkPin(w.name,
                                "count_sys_enter", new AttachTarget.RawTracepoint("sys_enter")).resolve("occupied"))),

                failing("map pin that collides after the link is pinned", "PinFailed", w -> w.apply(
                        w.resource(1, "bpf/xdp_count.lskel.h", "xdp_count",
                                AttachSpec.xdp(w.networkInterface(), XdpMode.Generic), true)))
                        .given(w -> Files.createDirectories(w.pinRoot().resolve(w.name).resolve("map_hits")
                                .resolve("occupied"))),

                // A new generation fails: the old one stays attached.
                failing("new generation whose attach fails", "AttachFailed", w -> w.apply(w.counter(2,
                        List.of(new ProgramSpec("count_sys_enter", AttachSpec.rawTracepoint("sigil_no_such_tracepoint"))),
                        COUNTER_MAPS)))
                        .given(w -> w.applyFirstGeneration(w.counter(w.counterBundle())))
                        .then(FailurePathsIT::firstGenerationStillAttached),
                failing("new generation swapped into the XDP link, then its map pin fails", "PinFailed", w -> w.apply(
                        w.resource(2, "bpf/xdp_count.lskel.h", "xdp_count",
                                AttachSpec.xdp(w.networkInterface(), XdpMode.Generic), true)))
                        .given(w -> {
                            w.applyFirstGeneration(w.resource(1, "bpf/xdp_count.lskel.h", "xdp_count",
                                    AttachSpec.xdp(w.networkInterface(), XdpMode.Generic), false));
                            Files.createDirectories(w.pinRoot().resolve(w.name).resolve("map_hits").resolve("occupied"));
                        })
                        .then(FailurePathsIT::firstGenerationStillAttached),

                // Lifecycle calls on something that is not there, or no longer what it was.
                unloading("unload of a name never applied", w -> Outcome.of(w.host().unload("never-applied-" + w.suffix)))
                        .then((w, outcome) -> assertThat(outcome.message()).contains("nothing to unload")),
                unloading("unload of a name that cannot name a resource", w -> Outcome.of(w.host().unload("../" + w.name)))
                        .then((w, outcome) -> assertThat(outcome.message()).contains("not a valid resource name")),
                failing("adopting pins whose record names another program tag", "PinFailed", w -> w.adopted())
                        .given(w -> {
                            w.applyFirstGeneration(w.counter(w.counterBundle()));
                            w.restart();
                            Path record = w.pinRoot().resolve(w.name).resolve("meta_count_sys_enter");
                            String target = Files.readSymbolicLink(record).toString();
                            Files.delete(record);
                            Files.createSymbolicLink(record, Path.of(target.replaceFirst("tag=[0-9a-f]+", "tag=0000000000000000")));
                        })
                        .then((w, outcome) -> assertThat(outcome.message()).contains("has tag", "0000000000000000")),
                // Drift repair lets go of a link whose interface is gone (reporting it detached); applying the resource
                // again, which names that interface, fails for it.
                failing("apply after drift repair let go of an interface that is gone", "AttachFailed",
                        w -> w.apply(w.resource(1, "bpf/xdp_count.lskel.h", "xdp_count",
                                AttachSpec.xdp(w.networkInterface(), XdpMode.Generic), false)))
                        .given(w -> {
                            w.applyFirstGeneration(w.resource(1, "bpf/xdp_count.lskel.h", "xdp_count",
                                    AttachSpec.xdp(w.networkInterface(), XdpMode.Generic), false));
                            Shell.run("ip", "link", "del", w.networkInterface());
                            Outcome repaired = w.repaired();
                            assertThat(repaired.reason()).as(repaired.message()).isNull();
                            assertThat(repaired.message()).contains("its interface is gone");
                        })
                        .then((w, outcome) -> assertThat(outcome.message()).contains("ENODEV")),
                failing("drift repair whose network namespace is gone", "AttachFailed", w -> w.repaired())
                        .given(w -> {
                            w.applyFirstGeneration(w.resource("bpf/sk_lookup_count.lskel.h", "sk_lookup_count",
                                    AttachSpec.skLookup(w.networkNamespace().toString())));
                            try (Fd link = w.bridge.fdById(ObjectKind.LINK, (int) w.firstLinkId).orElseThrow()) {
                                w.bridge.linkDetach(link);
                            }
                            Shell.run("ip", "netns", "del", w.networkNamespace().getFileName().toString());
                        })
                        .then((w, outcome) -> assertThat(outcome.message()).contains("ENOENT")));
    }

    /** The JVM's own launcher: an ELF executable every test run has, without the test's functions. */
    private static String javaExecutable() {
        return Path.of(ProcessHandle.current().info().command().orElseThrow()).toAbsolutePath().normalize().toString();
    }

    private static final List<MapSpec> COUNTER_MAPS = List.of(new MapSpec("counts"), new MapSpec("data"));

    /**
     * The example's loader with its final {@code exit} made {@code r0 = 0}: it still loads the program the resource
     * names (so the agent's checks pass it), and the kernel's verifier refuses it ("last insn is not an exit or jmp").
     */
    private static byte[] withoutFinalExit(byte[] loader) {
        byte[] broken = loader.clone();
        System.arraycopy(HexFormat.of().parseHex("b700000000000000"), 0, broken, broken.length - 8, 8);
        return broken;
    }

    /** Signs {@code loader} exactly as given, so the agent's checks after the signature's are what refuse it. */
    private static SignedBundle signedAsIs(byte[] loader, byte[] metadata, SigningKey key) {
        return TestBundles.remember(new SignedBundle(LoaderHashV1.NAME, loader, metadata, Sha256.tagged(metadata),
                CmsSigner.sign(loader, key)), key);
    }

    /** The loader directly: the host's own hash check would refuse tampered metadata before the kernel sees it. */
    private static Outcome loadTamperedMetadataPastTheAgentsOwnCheck(World w) throws Exception {
        SignedBundle bundle = TestBundles.sign(TestBundles.skeleton("bpf/xdp_count.lskel.h"), TestBundles.key());
        VerifiedBundle verified = new BundleVerifier(TestBundles.trust(), Clock.systemUTC()).verify(bundle);
        // The bundle's hash made to match the tampered metadata, so that only the signed loader's own check is left.
        byte[] metadata = TestBundles.flipByte(bundle.metadata(), bundle.metadata().length / 2);
        VerifiedBundle tampered = new VerifiedBundle(new SignedBundle(bundle.protocol(), bundle.loader(), metadata,
                Sha256.tagged(metadata), bundle.signature()), verified.signer(), verified.loaderHash());
        try (var loaded = new LoaderHashV1Loader(w.bridge).load(tampered, List.of("hits"), List.of("xdp_count"),
                AppliedEnforcement.Agent, OptionalInt.empty())) {
            throw new AssertionError("the loader accepted tampered metadata: " + loaded);
        } catch (BpfFailure failure) {
            return new Outcome(StatusTranslation.reason(failure.reason()), failure.getMessage(), failure.verifierLogTail().orElse(""), null);
        }
    }

    private static void firstGenerationStillAttached(World w, Outcome outcome) {
        NodeProgramState failed = outcome.state();
        assertThat(failed.getGeneration()).isEqualTo(2);
        assertThat(failed.getPrograms()).as("the programs still running").singleElement()
                .satisfies(program -> assertThat(program.getProgramId()).isEqualTo(w.firstProgramId));
        try (Fd link = w.bridge.fdById(ObjectKind.LINK, (int) w.firstLinkId).orElseThrow()) {
            var info = w.bridge.linkInfo(link);
            assertThat(info.progId()).as("program the first generation's link runs").isEqualTo(w.firstProgramId);
            assertThat(info.detached()).isFalse();
        }
    }

    // ---- case vocabulary ----

    record Outcome(String reason, String message, String verifierLogTail, NodeProgramState state) {
        static Outcome of(NodeProgramState state) {
            return new Outcome(state.getReason(), state.getMessage(), state.getVerifierLogTail(), state);
        }
    }

    @FunctionalInterface
    interface Given {
        void prepare(World world) throws Exception;
    }

    @FunctionalInterface
    interface When {
        Outcome run(World world) throws Exception;
    }

    @FunctionalInterface
    interface Then {
        void check(World world, Outcome outcome) throws Exception;
    }

    /** One failure: what runs first (outside the leak check), what fails, and what else must hold. */
    record Failure(String name, String reason, Given given, When when, Then then) {
        Failure given(Given more) {
            return new Failure(name, reason, more, when, then);
        }

        Failure then(Then more) {
            Then first = then;
            return new Failure(name, reason, given, when, (w, outcome) -> {
                first.check(w, outcome);
                more.check(w, outcome);
            });
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Failure failing(String name, String reason, When when) {
        return new Failure(name, reason, w -> { }, when, (w, outcome) -> {
            if (outcome.state() != null) {
                assertThat(outcome.state().getPhase()).isEqualTo(ProgramPhase.Failed);
            }
        });
    }

    /** A failure decided in user space: nothing may have been created in the kernel for it. */
    private static Failure refusedBeforeTheKernel(String name, String reason, When when) {
        return failing(name, reason, when).then((w, outcome) ->
                assertThat(w.bridge.created()).as("%s: kernel objects created", name).isEmpty());
    }

    private static Failure unloading(String name, When when) {
        return new Failure(name, null, w -> { }, when, (w, outcome) ->
                assertThat(outcome.state().getPhase()).isEqualTo(ProgramPhase.Unloading));
    }

    // ---- keys the failure trust bundle holds, each wrong in one way ----

    private static final class Keys {
        static final SigningKey REVOKED = generate("CN=Sigil revoked signer", Instant.now().minusSeconds(3600),
                Instant.now().plus(Duration.ofDays(1)));
        static final SigningKey EXPIRED = generate("CN=Sigil expired signer", Instant.now().minus(Duration.ofDays(2)),
                Instant.now().minus(Duration.ofDays(1)));
        static final SigningKey NOT_YET_VALID = generate("CN=Sigil future signer", Instant.now().plus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(2)));
        static final SigningKey NO_DIGITAL_SIGNATURE = certificateSigningOnly();
        static final TrustBundle TRUST = TrustBundle.of(
                List.of(TestBundles.key().certificate(), REVOKED.certificate(), EXPIRED.certificate(),
                        NOT_YET_VALID.certificate(), NO_DIGITAL_SIGNATURE.certificate()),
                new Revocations(Set.of(fingerprint(REVOKED.certificate())), Set.of()));

        private static SigningKey generate(String subject, Instant notBefore, Instant notAfter) {
            try {
                return SigningKeys.generate(KeySpec.ec("P-256"), subject, notBefore, notAfter, Optional.empty(),
                        true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** A self-signed certificate with keyUsage keyCertSign only: SigningKeys never makes one. */
        private static SigningKey certificateSigningOnly() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair pair = generator.generateKeyPair();
                X500Name name = new X500Name("CN=Sigil certificate-signing-only key");
                Instant now = Instant.now();
                JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.TWO,
                        Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
                builder.addExtension(Extension.subjectKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
                X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
                return new SigningKey(pair.getPrivate(), certificate);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static String fingerprint(X509Certificate certificate) {
            try {
                return Sha256.hex(certificate.getEncoded());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static KernelFeatures withSignatureVerification(KernelFeatures k, Support support) {
        return KernelFeatures.of(k.release(), k.bpf(), k.exclusiveMaps(), k.mapHashes(), support, k.bpffs(),
                k.attachTypes());
    }

    private static KernelFeatures withoutBpf(KernelFeatures k) {
        Support none = Support.unsupported("EPERM: bpf() refused");
        return KernelFeatures.of(k.release(), none, none, none, none, k.bpffs(), k.attachTypes());
    }

    private static KernelFeatures withAttach(KernelFeatures k, AttachKind type, Support support) {
        Map<AttachKind, Support> attach = new EnumMap<>(k.attachTypes());
        attach.put(type, support);
        return KernelFeatures.of(k.release(), k.bpf(), k.exclusiveMaps(), k.mapHashes(), k.signatureVerification(),
                k.bpffs(), attach);
    }

    // ---- the world each case runs in ----

    /** A host on the real kernel with its own pin root and interface names, and everything to undo afterwards. */
    static final class World implements AutoCloseable {
        final KernelFeatures kernel;
        final RecordingBridge bridge = new RecordingBridge();
        final String suffix = UUID.randomUUID().toString().substring(0, 6);
        final String name = "fail-" + suffix;
        final HostFixture fixture;
        private final List<HostStatus> extraHosts = new ArrayList<>();
        private final Set<Path> extraPinRoots = new LinkedHashSet<>();
        private final List<Path> mounts = new ArrayList<>();
        private HostStatus host;
        private Path pinRoot;
        private String networkInterface;
        private String networkNamespace;
        private SignedBundle counterBundle;
        long firstProgramId;
        long firstLinkId;

        World(KernelFeatures kernel) {
            this.kernel = kernel;
            this.fixture = new HostFixture(kernel, bridge, Keys.TRUST);
            this.host = fixture.host();
            this.pinRoot = fixture.pinRoot();
        }

        HostStatus host() {
            return host;
        }

        Path pinRoot() {
            return pinRoot;
        }

        void useHost(KernelFeatures features) {
            useHost(features, fixture.pinRoot());
        }

        void useHost(KernelFeatures features, Path root) {
            host = new HostStatus(new KernelProgramHost(new HostConfig(root, Keys.TRUST, Clock.systemUTC(),
                    Duration.ofSeconds(1)), bridge, features));
            extraHosts.add(host);
            pinRoot = root;
            if (!root.equals(fixture.pinRoot())) {
                extraPinRoots.add(root);
            }
        }

        void restart() {
            host = fixture.restart();
        }

        /** A bridge device of this case's own: generic XDP attaches to it, native XDP does not. */
        String networkInterface() {
            if (networkInterface == null) {
                networkInterface = "sgb" + suffix;
                Shell.run("ip", "link", "add", networkInterface, "type", "bridge");
            }
            return networkInterface;
        }

        /** A network namespace of this case's own, by its file under /var/run/netns. */
        Path networkNamespace() {
            if (networkNamespace == null) {
                networkNamespace = "sigil-test-f-" + suffix;
                Shell.run("ip", "netns", "add", networkNamespace);
            }
            return Path.of("/var/run/netns", networkNamespace);
        }

        AttachSpec uprobe(String binary, String symbol, Integer pid) {
            return AttachSpec.userFunction(AttachType.Uprobe, new UserFunction(binary, symbol, null, pid));
        }

        /** A bpffs instance of this case's own, mounted read-only. */
        Path readOnlyBpffs() throws IOException {
            Path mountPoint = Files.createTempDirectory("sigil-ro-bpffs-");
            extraPinRoots.add(mountPoint);
            Shell.run("mount", "-t", "bpf", "-o", "ro", "bpf", mountPoint.toString());
            mounts.add(mountPoint);
            return mountPoint;
        }

        SignedBundle counterBundle() {
            if (counterBundle == null) {
                counterBundle = TestBundles.sign(TestBundles.counter(), TestBundles.key());
            }
            return counterBundle;
        }

        Outcome apply(SignedBpfProgram resource) {
            return Outcome.of(host.apply(resource));
        }

        Outcome adopted() {
            return Outcome.of(host.adoptPinned().stream().filter(state -> state.getName().equals(name)).findFirst()
                    .orElseThrow());
        }

        Outcome repaired() {
            return Outcome.of(host.repairDrift().stream().filter(state -> state.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("drift repair reported nothing for " + name)));
        }

        void applyFirstGeneration(SignedBpfProgram resource) {
            NodeProgramState first = host.apply(resource);
            assertThat(first.getPhase()).as(first.getMessage()).isEqualTo(ProgramPhase.Attached);
            firstProgramId = first.getPrograms().getFirst().getProgramId();
            firstLinkId = first.getPrograms().getFirst().getLinkId();
        }

        SignedBpfProgram counter(SignedBundle bundle) {
            return counter(1, bundle);
        }

        SignedBpfProgram counter(long generation, SignedBundle bundle) {
            return TestResources.counterResource(name, generation, bundle, Enforcement.Auto);
        }

        SignedBpfProgram counter(Enforcement enforcement) {
            return TestResources.counterResource(name, 1, counterBundle(), enforcement);
        }

        SignedBpfProgram counter(Consumer<SignedBpfProgramSpec> edit) {
            SignedBpfProgram resource = counter(counterBundle());
            edit.accept(resource.getSpec());
            return resource;
        }

        SignedBpfProgram counter(List<ProgramSpec> programs, List<MapSpec> maps) {
            return counter(1, programs, maps);
        }

        SignedBpfProgram counter(long generation, List<ProgramSpec> programs, List<MapSpec> maps) {
            return TestResources.resource(name, generation, counterBundle(), programs, maps, Enforcement.Auto);
        }

        /** One of node-agent's test programs, whose only map is {@code hits}. */
        SignedBpfProgram resource(String skeleton, String program, AttachSpec attach) {
            return resource(1, skeleton, program, attach, false);
        }

        SignedBpfProgram resource(long generation, String skeleton, String program, AttachSpec attach, boolean pinHits) {
            MapSpec hits = new MapSpec("hits");
            hits.setPin(pinHits);
            return TestResources.resource(name, generation, TestBundles.sign(TestBundles.skeleton(skeleton), TestBundles.key()),
                    List.of(new ProgramSpec(program, attach)), List.of(hits), Enforcement.Auto);
        }

        @Override
        public void close() throws Exception {
            try {
                for (HostStatus extra : extraHosts) {
                    for (NodeProgramState state : extra.states()) {
                        extra.unload(state.getName());
                    }
                    extra.close();
                }
                fixture.close();
            } finally {
                for (Path mountPoint : mounts) {
                    Shell.quietly("umount", mountPoint.toString());
                }
                for (Path root : extraPinRoots) {
                    HostFixture.removeTree(root);
                }
                if (networkInterface != null) {
                    Shell.quietly("ip", "link", "del", networkInterface);
                }
                if (networkNamespace != null) {
                    Shell.quietly("ip", "netns", "del", networkNamespace);
                }
            }
        }
    }
}
