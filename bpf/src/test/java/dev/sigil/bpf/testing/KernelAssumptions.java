package dev.sigil.bpf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.kernel.KernelProbe;
import dev.sigil.bpf.kernel.Support;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Kernel tests call {@link #require}: a capability the probe calls unsupported skips the test with the
 * probe's reason, or fails it when {@code SIGIL_REQUIRE_KERNEL=1} (CI), where every capability must be there.
 */
public final class KernelAssumptions {
    public static final String REQUIRE_KERNEL = "SIGIL_REQUIRE_KERNEL";
    private static KernelFeatures features;

    private KernelAssumptions() {
    }

    /** This kernel's features, each probed once per test JVM when first asked for (bpffs: mounted under /sys/fs/bpf if missing). */
    public static synchronized KernelFeatures features() {
        if (features == null) {
            features = new KernelProbe(LinuxSyscallBridge.create(), Path.of("/sys/fs/bpf")).features();
        }
        return features;
    }

    public static void require(String what, Support support) {
        if (support instanceof Support.Unsupported(String reason)) {
            String message = what + " is not available on this kernel: " + reason;
            if ("1".equals(System.getenv(REQUIRE_KERNEL))) {
                fail(message + " (" + REQUIRE_KERNEL + "=1 turns this skip into a failure)");
            }
            Assumptions.abort(message);
        }
    }

    /** The protocol's prerequisites: bpf(), exclusive maps, map hashes, bpffs. */
    public static KernelFeatures requireLoaderHashV1() {
        KernelFeatures kernel = features();
        require("LoaderHashV1 (bpf, exclusive maps, map hashes)", kernel.loaderHashV1());
        require("bpffs", kernel.bpffs());
        return kernel;
    }
}
