package dev.sigil.agent.node;

import dev.sigil.bpf.attach.Attacher;
import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.loader.SigilKeyring;
import dev.sigil.bpf.pin.PinDirectory;
import dev.sigil.bpf.sys.SyscallBridge;
import java.util.List;

/**
 * The kernel side the host's units share: the bridge, what the kernel can do, the pin directory, the
 * attacher and, created on first need, the Sigil keyring (which the host invalidates on close).
 */
final class HostKernel implements AutoCloseable {
    final HostConfig config;
    final SyscallBridge bridge;
    final KernelFeatures features;
    final PinDirectory pins;
    final Attacher attacher;
    private SigilKeyring keyring;
    /** The node's interfaces when last looked at; null before the first look (a resolution or a check for changes). */
    List<String> interfacesSeen;

    HostKernel(HostConfig config, SyscallBridge bridge, KernelFeatures features) {
        this.config = config;
        this.bridge = bridge;
        this.features = features;
        this.pins = new PinDirectory(bridge, config.pinRoot());
        this.attacher = new Attacher(bridge, features);
    }

    SigilKeyring keyring() throws BpfFailure {
        if (keyring == null) {
            try {
                keyring = SigilKeyring.create(bridge, config.trust());
            } catch (RuntimeException e) {
                throw new BpfFailure(FailureReason.EnforcementUnavailable,
                        "Kernel enforcement needs the Sigil keyring, which could not be created: " + e.getMessage(), e);
            }
        }
        return keyring;
    }

    @Override
    public void close() {
        if (keyring != null) {
            keyring.close();
        }
    }
}
