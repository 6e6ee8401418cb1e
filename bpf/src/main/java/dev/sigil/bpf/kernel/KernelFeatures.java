package dev.sigil.bpf.kernel;

import dev.sigil.bpf.attach.AttachKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the start-up probe found on this kernel, one {@link Support} per capability and per attach type.
 * {@code LoaderHashV1} runs natively only with both exclusive maps and map hashes.
 */
public record KernelFeatures(String release, Support bpf, Support exclusiveMaps, Support mapHashes,
        Support signatureVerification, Support bpffs, Map<AttachKind, Support> attachTypes) {

    public KernelFeatures {
        attachTypes = Map.copyOf(attachTypes);
    }

    /** Fixed answers, e.g. a test's or a fake host's. */
    public static KernelFeatures of(String release, Support bpf, Support exclusiveMaps, Support mapHashes,
            Support signatureVerification, Support bpffs, Map<AttachKind, Support> attachTypes) {
        return new KernelFeatures(release, bpf, exclusiveMaps, mapHashes, signatureVerification, bpffs, attachTypes);
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

    public Support attach(AttachKind type) {
        return attachTypes.getOrDefault(type, Support.unsupported("not probed"));
    }

    /** One line per capability, for the start-up log. */
    public String summary() {
        Map<AttachKind, Support> sorted = new EnumMap<>(attachTypes);
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
