package dev.sigil.agent.kernel;

import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the start-up probe found on this kernel, one {@link Support} per capability and per attach type.
 * {@code LoaderHashV1} runs natively only with both exclusive maps and map hashes.
 */
public record KernelFeatures(String release, Support bpf, Support exclusiveMaps, Support mapHashes,
        Support signatureVerification, Support bpffs, Map<AttachType, Support> attachTypes) {

    public KernelFeatures {
        attachTypes = Map.copyOf(attachTypes);
    }

    /** The protocol's two kernel prerequisites, as one answer. */
    public Support loaderHashV1() {
        if (!bpf.isSupported()) {
            return bpf;
        }
        if (!exclusiveMaps.isSupported()) {
            return exclusiveMaps;
        }
        return mapHashes;
    }

    public Support attach(AttachType type) {
        return attachTypes.getOrDefault(type, Support.unsupported("not probed"));
    }

    /** The crds view for BpfNodeState status. */
    public KernelCapabilities toCapabilities() {
        KernelCapabilities capabilities = new KernelCapabilities();
        capabilities.setRelease(release);
        capabilities.setBpfUsable(bpf.isSupported());
        capabilities.setExclusiveMaps(exclusiveMaps.isSupported());
        capabilities.setMapHashes(mapHashes.isSupported());
        capabilities.setSignatureVerification(signatureVerification.isSupported()
                ? "Supported" : signatureVerification.describe());
        capabilities.setBpffsMounted(bpffs.isSupported());
        capabilities.setAttachTypes(attachTypes.entrySet().stream()
                .filter(entry -> entry.getValue().isSupported())
                .map(entry -> entry.getKey().name())
                .sorted()
                .toList());
        return capabilities;
    }

    /** One line per capability, for the start-up log. */
    public String summary() {
        Map<AttachType, Support> sorted = new EnumMap<>(attachTypes);
        return "kernel " + release
                + "\n  bpf(): " + bpf.describe()
                + "\n  exclusive maps: " + exclusiveMaps.describe()
                + "\n  map hashes: " + mapHashes.describe()
                + "\n  in-kernel signature verification: " + signatureVerification.describe()
                + "\n  bpffs: " + bpffs.describe()
                + sorted.entrySet().stream()
                        .map(entry -> "\n  attach " + entry.getKey() + ": " + entry.getValue().describe())
                        .collect(Collectors.joining());
    }
}
