package dev.sigil.bpf.testing;

import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.kernel.Support;
import java.util.EnumMap;
import java.util.Map;

/** Hand-made probe results for unit tests. */
public final class Features {
    private Features() {
    }

    /** This project's kernel: everything but in-kernel signature checks. */
    public static KernelFeatures withoutKernelSignatures() {
        return of(Support.supported(""), Support.unsupported("EOPNOTSUPP: kernel built without CONFIG_SYSTEM_DATA_VERIFICATION"));
    }

    public static KernelFeatures withKernelSignatures() {
        return of(Support.supported(""), Support.supported("kernel parsed and refused a probe signature (EBADMSG)"));
    }

    /** A kernel before 6.18: no map hashes, no exclusive maps. */
    public static KernelFeatures withoutMapHashes() {
        return of(Support.unsupported("kernel predates map hashes (E2BIG: bpf_map_info has no hash)"),
                Support.unsupported("E2BIG: kernel predates signed BPF programs (no signature in bpf_attr)"));
    }

    private static KernelFeatures of(Support hashes, Support signatures) {
        Map<AttachKind, Support> attach = new EnumMap<>(AttachKind.class);
        for (AttachKind type : AttachKind.values()) {
            attach.put(type, Support.supported(""));
        }
        attach.put(AttachKind.Fentry, Support.unsupported("BPF_PROG_LOAD failed: EPERM (Operation not permitted)"));
        return KernelFeatures.of("test", Support.supported(""), hashes, hashes, signatures, Support.supported(""),
                attach);
    }
}
