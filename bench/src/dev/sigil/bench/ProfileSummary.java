package dev.sigil.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Folds a JFR recording's CPU-time samples of {@code KernelProgramHost.apply} into the apply's phases, each
 * phase by the methods that mark it on the stack (names of the current code; a renamed method moves its
 * samples to "other"), and lists the hottest leaf methods. A sample is one millisecond of a thread's CPU.
 */
final class ProfileSummary {
    private record Phase(String label, int depth, Predicate<List<String>> matches) {
    }

    private static Predicate<List<String>> any(String... methods) {
        Set<String> wanted = Set.of(methods);
        return frames -> frames.stream().anyMatch(wanted::contains);
    }

    private static Predicate<List<String>> classAny(String... classes) {
        Set<String> wanted = Set.of(classes);
        return frames -> frames.stream().anyMatch(frame -> wanted.contains(frame.substring(0, frame.lastIndexOf('.'))));
    }

    private static final Predicate<List<String>> KERNEL = classAny("Native", "UnixNativeDispatcher");

    /** In display order; a phase at a greater depth is part of the one above it. */
    private static final List<Phase> PHASES = List.of(
            new Phase("read the resource's signed pieces (base64, intent)", 0, any("SignedSpecs.read")),
            new Phase("verify (remembered verdict, or the whole check)", 0, any("VerifiedProgramCache.verify",
                    "BoundProgramVerifier.verify")),
            new Phase("the whole check (BoundProgramVerifier)", 1, any("BoundProgramVerifier.verify")),
            new Phase("structure: CMS parse, loader shape, metadata hash, prologue", 2, any(
                    "BundleVerifier.parseSignature", "KernelCms.parse", "BundleVerifier.requireMatchingMetadataHash",
                    "BundleVerifier.requirePrologue", "BundleVerifier.requireWellFormedLoader")),
            new Phase("loader signature (CMS verify)", 2, any("BundleVerifier.requireValidSignature", "KernelCms.verifies")),
            new Phase("signer and chain: lookup, anchors, validity, revocation", 2, any("BundleVerifier.findSigner",
                    "BundleVerifier.buildChain", "BundleVerifier.requireNotRevoked", "BundleVerifier.requireCurrentlyValid",
                    "BundleVerifier.requireCodeSigningUsage", "PathValidation.validate", "SignerPaths.search",
                    "BoundProgramVerifier.signerCertificate")),
            new Phase("intent signature (CMS verify)", 2, any("IntentSignatures.verify")),
            new Phase("intent against the resource", 2, any("IntentComparison.requireSatisfied")),
            new Phase("attach points against the signed metadata", 2, any("AttachCompatibility.require",
                    "GenLoaderMetadata.programs")),
            new Phase("loader protocol (map, prog load, prog run, fds)", 0, any("LoaderHashV1Loader.load")),
            new Phase("attach (program info, link, link info)", 0, any("Deployer.attach")),
            new Phase("pin (links, maps, records)", 0, any("ResourcePins.pinAll")),
            new Phase("report and node state", 0, any("ResourceReports.attached", "HostState.record")));

    private ProfileSummary() {
    }

    static void print(Path recording, int applies, PrintStream out) throws IOException {
        List<List<String>> apply = new ArrayList<>();
        int unload = 0;
        int all = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.CPUTimeSample") || event.getStackTrace() == null) {
                continue;
            }
            all++;
            List<String> frames = event.getStackTrace().getFrames().stream().map(ProfileSummary::name).toList();
            if (frames.contains("KernelProgramHost.apply")) {
                apply.add(frames);
            } else if (frames.contains("KernelProgramHost.unload")) {
                unload++;
            }
        }
        out.printf(Locale.ROOT, "%nCPU-time samples (1 ms of a thread's CPU each): %d in %d applies (%.2f ms of CPU per apply),"
                + " %d in unloads, %d in all%n%n", apply.size(), applies, (double) apply.size() / applies, unload, all);
        out.printf(Locale.ROOT, "| %-66s | %7s | %9s |%n", "apply phase (inclusive)", "share", "in kernel");
        out.printf(Locale.ROOT, "|%s|%s|%s|%n", "-".repeat(68), "-".repeat(9), "-".repeat(11));
        for (Phase phase : PHASES) {
            row(out, "  ".repeat(phase.depth()) + phase.label(), apply.stream().filter(phase.matches()).toList(),
                    apply.size());
        }
        row(out, "other", apply.stream().filter(frames -> PHASES.stream()
                .noneMatch(phase -> phase.depth() == 0 && phase.matches().test(frames))).toList(), apply.size());
        row(out, "whole apply", apply, apply.size());

        Map<String, Integer> leaves = new HashMap<>();
        apply.forEach(frames -> leaves.merge(frames.getFirst(), 1, Integer::sum));
        out.printf(Locale.ROOT, "%nHottest leaf methods in applies:%n");
        leaves.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(20)
                .forEach(leaf -> out.printf(Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * leaf.getValue() / apply.size(),
                        leaf.getKey()));
    }

    private static void row(PrintStream out, String label, List<List<String>> samples, int total) {
        long kernel = samples.stream().filter(KERNEL).count();
        out.printf(Locale.ROOT, "| %-66s | %5.1f %% | %7.1f %% |%n", label, 100.0 * samples.size() / Math.max(1, total),
                100.0 * kernel / Math.max(1, total));
    }

    private static String name(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }
}
