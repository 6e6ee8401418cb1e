package dev.sigil.bpf.loader;

import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.signing.TrustBundle;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A keyring of the agent's own, holding the trust bundle's anchors as "asymmetric" keys: the kernel
 * checks a loader's signature against it when enforcement is Kernel (its serial is BPF_PROG_LOAD's
 * {@code keyring_id}). Linked into the process keyring so the agent possesses it; invalidated on close.
 */
public final class SigilKeyring implements AutoCloseable {
    private static final int KEY_SPEC_PROCESS_KEYRING = -2;

    private final SyscallBridge bridge;
    private final int serial;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SigilKeyring(SyscallBridge bridge, int serial) {
        this.bridge = bridge;
        this.serial = serial;
    }

    public static SigilKeyring create(SyscallBridge bridge, TrustBundle trust) {
        int serial = bridge.addKey("keyring", "sigil:" + UUID.randomUUID(), new byte[0], KEY_SPEC_PROCESS_KEYRING);
        SigilKeyring keyring = new SigilKeyring(bridge, serial);
        try {
            for (X509Certificate anchor : trust.anchors()) {
                // An empty description lets the kernel name the key after the certificate's subject and key id.
                bridge.addKey("asymmetric", "", anchor.getEncoded(), serial);
            }
        } catch (CertificateEncodingException | RuntimeException e) {
            keyring.close();
            throw new IllegalStateException("could not fill the Sigil keyring from the trust bundle: " + e.getMessage(), e);
        }
        return keyring;
    }

    public int serial() {
        return serial;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            bridge.invalidateKey(serial);
        }
    }
}
