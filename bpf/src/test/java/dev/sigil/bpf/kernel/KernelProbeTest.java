package dev.sigil.bpf.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.sys.Errno;
import dev.sigil.bpf.sys.ProgramLoadException;
import dev.sigil.bpf.sys.SyscallException;
import dev.sigil.bpf.testing.FakeSyscallBridge;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The probe tells apart the ways a kernel can lack in-kernel signature checks, and probes lazily, once per capability. */
class KernelProbeTest {
    private final FakeSyscallBridge bridge = new FakeSyscallBridge();
    private final KernelProbe probe = new KernelProbe(bridge, Path.of("/sys/fs/bpf/sigil"));

    private Support signatureSupportWhenLoadFailsWith(Errno errno) {
        bridge.progLoadFailure = new ProgramLoadException(errno.number(), "sigil_probe", "");
        return probe.signatureVerification();
    }

    @Test
    void eopnotsuppMeansTheKernelWasBuiltWithoutSignatureVerification() {
        assertThat(signatureSupportWhenLoadFailsWith(Errno.EOPNOTSUPP)).isInstanceOfSatisfying(Support.Unsupported.class,
                unsupported -> assertThat(unsupported.reason()).contains("EOPNOTSUPP", "CONFIG_SYSTEM_DATA_VERIFICATION"));
    }

    @Test
    void e2bigMeansTheKernelPredatesSignedPrograms() {
        assertThat(signatureSupportWhenLoadFailsWith(Errno.E2BIG)).isInstanceOfSatisfying(Support.Unsupported.class,
                unsupported -> assertThat(unsupported.reason()).contains("E2BIG", "predates"));
    }

    @Test
    void einvalMeansTheKernelRejectsTheSignatureFields() {
        assertThat(signatureSupportWhenLoadFailsWith(Errno.EINVAL)).isInstanceOfSatisfying(Support.Unsupported.class,
                unsupported -> assertThat(unsupported.reason()).contains("EINVAL"));
    }

    @Test
    void aParsedAndRefusedSignatureMeansTheKernelChecksSignatures() {
        assertThat(signatureSupportWhenLoadFailsWith(Errno.EBADMSG).isSupported()).isTrue();
    }

    @Test
    void aKernelAcceptingGarbageAsSignatureDoesNotCount() {
        assertThat(probe.signatureVerification().isSupported()).isFalse();
        assertThat(bridge.openFds).isEmpty();
    }

    @Test
    void probesNothingUntilAskedAndEachCapabilityOnce() {
        KernelFeatures features = probe.features();
        assertThat(bridge.calls).as("creating the features").isEmpty();

        assertThat(features.attach(AttachKind.RawTracepoint).isSupported()).isTrue();
        assertThat(bridge.calls).as("bpf() first, then the raw tracepoint check alone")
                .containsExactly("mapCreate", "progLoad", "rawTracepointOpen");
        assertThat(bridge.openFds).isEmpty();

        features.attach(AttachKind.RawTracepoint);
        features.bpf();
        assertThat(bridge.calls).as("asked again: remembered").hasSize(3);
    }

    @Test
    void everyCapabilityNeedsAUsableBpfCall() {
        bridge.mapCreateFailure = new SyscallException("BPF_MAP_CREATE", Errno.EPERM.number(), "probe");
        KernelFeatures features = probe.features();

        assertThat(features.attach(AttachKind.Xdp)).isInstanceOfSatisfying(Support.Unsupported.class,
                unsupported -> assertThat(unsupported.reason()).startsWith("bpf() is not usable: ").contains("EPERM"));
        assertThat(features.signatureVerification().isSupported()).isFalse();
        assertThat(features.loaderHashV1().isSupported()).isFalse();
        assertThat(bridge.calls).as("nothing probed past bpf()").containsExactly("mapCreate");
    }

    @Test
    void aSignatureProbeInterruptedBySignalsIsMadeAgain() {
        bridge.progLoadInterruptions = 2;
        bridge.progLoadFailure = new ProgramLoadException(Errno.EBADMSG.number(), "sigil_probe", "");

        assertThat(probe.signatureVerification().isSupported()).isTrue();
        assertThat(bridge.programsLoaded).hasSize(3);
    }

    @Test
    void probesSkLookupOnTheNamespaceOfAPrivateThreadAndUprobeMultiOnAScratchFile() throws Exception {
        KernelFeatures features = probe.features();

        assertThat(features.attach(AttachKind.SkLookup).isSupported()).isTrue();
        assertThat(bridge.calls).containsExactly("mapCreate", "unshareNetworkNamespace", "progLoad", "openFile", "linkCreate");
        assertThat(bridge.programsLoaded.getLast().type()).isEqualTo(dev.sigil.bpf.sys.ProgramType.SK_LOOKUP);
        assertThat(bridge.programsLoaded.getLast().expectedAttachType())
                .isEqualTo(dev.sigil.bpf.sys.BpfAttachType.SK_LOOKUP.code());

        assertThat(features.uprobeMulti().isSupported()).isTrue();
        assertThat(bridge.calls.subList(5, bridge.calls.size())).containsExactly("progLoad", "uprobeMultiLinkCreate");
        assertThat(bridge.programsLoaded.getLast().expectedAttachType())
                .isEqualTo(dev.sigil.bpf.sys.BpfAttachType.TRACE_UPROBE_MULTI.code());
        assertThat(bridge.openFds).as("every probe object closed").isEmpty();
    }

    @Test
    void aUprobeMultiRefusalIsItsOwnAnswerNotTheUprobes() {
        bridge.progLoadFailure = new ProgramLoadException(Errno.EINVAL.number(), "sigil_probe", "");
        KernelFeatures features = probe.features();

        assertThat(features.uprobeMulti()).isInstanceOfSatisfying(Support.Unsupported.class,
                unsupported -> assertThat(unsupported.reason()).contains("EINVAL"));
    }
}
