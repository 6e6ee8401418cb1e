package dev.sigil.bpf.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.sys.Errno;
import dev.sigil.bpf.sys.ProgramLoadException;
import dev.sigil.bpf.testing.FakeSyscallBridge;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The probe tells apart the ways a kernel can lack in-kernel signature checks. */
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
}
