package dev.sigil.bpf.kernel;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What this kernel lets the agent do: one {@link Support} per capability and per attach kind. Each is
 * probed when first asked for and remembered ({@link KernelProbe#features()}), so starting costs
 * nothing and a node that only loads raw tracepoints never reads the kernel's BTF; asking for all of
 * them ({@link #attachTypes()}) probes the rest. Each answer is logged once, when it is probed. {@code LoaderHashV1} runs natively
 * only with both exclusive maps and map hashes.
 */
public final class KernelFeatures {
    private final String release;
    private final Feature bpf;
    private final Feature exclusiveMaps;
    private final Feature mapHashes;
    private final Feature signatureVerification;
    private final Feature bpffs;
    private final Map<AttachKind, Feature> attach;
    private final Feature uprobeMulti;

    private KernelFeatures(String release, Feature bpf, Feature exclusiveMaps, Feature mapHashes,
            Feature signatureVerification, Feature bpffs, Map<AttachKind, Feature> attach, Feature uprobeMulti) {
        this.release = release;
        this.bpf = bpf;
        this.exclusiveMaps = exclusiveMaps;
        this.mapHashes = mapHashes;
        this.signatureVerification = signatureVerification;
        this.bpffs = bpffs;
        this.attach = Collections.unmodifiableMap(new EnumMap<>(attach));
        this.uprobeMulti = uprobeMulti;
    }

    /** Fixed answers, e.g. a test's or a fake host's; an attach kind left out, and uprobe_multi, are unsupported ("not probed"). */
    public static KernelFeatures of(String release, Support bpf, Support exclusiveMaps, Support mapHashes,
            Support signatureVerification, Support bpffs, Map<AttachKind, Support> attachTypes) {
        return of(release, bpf, exclusiveMaps, mapHashes, signatureVerification, bpffs, attachTypes,
                Support.unsupported("not probed"));
    }

    /** Fixed answers including uprobe_multi links. */
    public static KernelFeatures of(String release, Support bpf, Support exclusiveMaps, Support mapHashes,
            Support signatureVerification, Support bpffs, Map<AttachKind, Support> attachTypes, Support uprobeMulti) {
        Map<AttachKind, Feature> attach = Arrays.stream(AttachKind.values()).collect(Collectors.toMap(
                Function.identity(),
                kind -> Feature.known(kind + " attach", attachTypes.getOrDefault(kind, Support.unsupported("not probed"))),
                (first, second) -> first, () -> new EnumMap<>(AttachKind.class)));
        return new KernelFeatures(release, Feature.known("bpf()", bpf), Feature.known("exclusive maps", exclusiveMaps),
                Feature.known("map hashes", mapHashes), Feature.known("signature verification", signatureVerification),
                Feature.known("bpffs", bpffs), attach, Feature.known("uprobe_multi links", uprobeMulti));
    }

    /** Answers probed on first use; every capability but bpffs needs a usable bpf() first. */
    static KernelFeatures probed(String release, Supplier<Support> bpfProbe, Supplier<Support> exclusiveMaps,
            Supplier<Support> mapHashes, Supplier<Support> signatureVerification, Supplier<Support> bpffs,
            Map<AttachKind, Supplier<Support>> attachProbes, Supplier<Support> uprobeMulti) {
        Feature bpf = Feature.probed("bpf()", bpfProbe);
        Map<AttachKind, Feature> attach = new EnumMap<>(AttachKind.class);
        for (AttachKind kind : AttachKind.values()) {
            attach.put(kind, Feature.probed(kind + " attach", needingBpf(bpf, attachProbes.get(kind))));
        }
        return new KernelFeatures(release, bpf,
                Feature.probed("exclusive maps", needingBpf(bpf, exclusiveMaps)),
                Feature.probed("map hashes", needingBpf(bpf, mapHashes)),
                Feature.probed("in-kernel signature verification", needingBpf(bpf, signatureVerification)),
                Feature.probed("bpffs", bpffs), attach,
                Feature.probed("uprobe_multi links", needingBpf(bpf, uprobeMulti)));
    }

    private static Supplier<Support> needingBpf(Feature bpf, Supplier<Support> probe) {
        return () -> bpf.get() instanceof Support.Unsupported(String reason)
                ? Support.unsupported("bpf() is not usable: " + reason)
                : probe.get();
    }

    /** The kernel release ({@code uname -r}). */
    public String release() {
        return release;
    }

    public Support bpf() {
        return bpf.get();
    }

    public Support exclusiveMaps() {
        return exclusiveMaps.get();
    }

    public Support mapHashes() {
        return mapHashes.get();
    }

    public Support signatureVerification() {
        return signatureVerification.get();
    }

    /** bpffs under the pin root; asking mounts one there when none is and the agent may. */
    public Support bpffs() {
        return bpffs.get();
    }

    public Support attach(AttachKind kind) {
        return attach.get(kind).get();
    }

    /**
     * Whether uprobe_multi links work (Linux 6.6 and later): a uprobe program the signed loader loads with
     * expected attach type BPF_TRACE_UPROBE_MULTI links only this way; one loaded without links through a
     * perf event ({@link #attach attach(Uprobe)}).
     */
    public Support uprobeMulti() {
        return uprobeMulti.get();
    }

    /** Every attach kind's answer, probing those not asked for yet. */
    public Map<AttachKind, Support> attachTypes() {
        Map<AttachKind, Support> answers = new EnumMap<>(AttachKind.class);
        attach.forEach((kind, feature) -> answers.put(kind, feature.get()));
        return answers;
    }

    /** The protocol's two kernel prerequisites, as one answer. */
    public Support loaderHashV1() {
        if (!bpf().isSupported()) {
            return bpf();
        }
        if (!exclusiveMaps().isSupported()) {
            return exclusiveMaps();
        }
        return mapHashes();
    }
}
