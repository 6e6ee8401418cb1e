package dev.sigil.agent.standalone;

import dev.sigil.agent.node.ProgramHost;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.translate.SpecTranslation;
import dev.sigil.agent.translate.StatusTranslation;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The agent without a cluster: applies resource files through a {@link ProgramHost} (which verifies
 * each against this machine's trust bundle), shows a live status table, repairs drift, and on stop
 * unloads what it loaded unless told to keep it. Owns the host: closes it when done.
 */
public final class StandaloneAgent {
    /** Exit status when none of the given resources could be loaded. */
    public static final int NOTHING_LOADED = 1;
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    private final ProgramHost host;
    private final StandaloneOptions options;
    private final PrintWriter out;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Map<String, SignedBpfProgram> resources = new LinkedHashMap<>();
    private final List<String> unread = new ArrayList<>();

    public StandaloneAgent(ProgramHost host, StandaloneOptions options, PrintWriter out) {
        this.host = host;
        this.options = options;
        this.out = out;
    }

    /**
     * Runs until {@link #stop()} or the configured duration, then cleans up. Each resource stands alone: one that is
     * refused or fails is reported as such and the others run on. {@code unreadFiles}: why each file that held no
     * resource was refused (one line each, shown with the table).
     *
     * @return 0 when at least one resource attached, {@link #NOTHING_LOADED} when none did
     */
    public int run(List<SignedBpfProgram> toApply, List<String> unreadFiles) throws InterruptedException {
        try {
            unread.addAll(unreadFiles);
            // Resources a previous `run --keep` left pinned are taken over, not loaded twice.
            host.adoptPinned();
            toApply.forEach(resource -> resources.put(resource.getMetadata().getName(), resource));
            List<ResourceReport> results = toApply.stream().map(this::applyShowingProgress).toList();
            show();
            if (results.stream().noneMatch(result -> result.phase() == ResourceReport.Phase.Attached)) {
                out.println("sigil agent: none of the " + (results.size() + unread.size())
                        + " resource(s) could be loaded");
                return NOTHING_LOADED;
            }
            watchUntilStopped();
            return 0;
        } finally {
            cleanUp();
            finished.countDown();
        }
    }

    /** A first load takes a moment (verification, the loader, attach, pin): say what is happening, then how it went. */
    private ResourceReport applyShowingProgress(SignedBpfProgram resource) {
        String name = resource.getMetadata().getName();
        out.println(name + ": verifying, loading and attaching...");
        out.flush();
        long started = System.nanoTime();
        ResourceReport report = host.apply(SpecTranslation.deployRequest(resource));
        out.println(name + ": " + report.phase()
                + report.cause().map(cause -> " (" + StatusTranslation.reason(cause) + ")").orElse("")
                + " in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        out.flush();
        return report;
    }

    /** Asks {@link #run} to stop and waits until it has cleaned up; safe from a shutdown hook. */
    public void stop() throws InterruptedException {
        stopRequested.countDown();
        finished.await();
    }

    private void watchUntilStopped() throws InterruptedException {
        Instant deadline = options.duration().map(Instant.now()::plus).orElse(Instant.MAX);
        while (true) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (!left.isPositive()) {
                return;
            }
            Duration wait = left.compareTo(options.interval()) < 0 ? left : options.interval();
            if (stopRequested.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            List<ResourceReport> repaired = host.repairDrift();
            List<ResourceReport> retargeted = host.nodeFactsChanged() ? resources.values().stream()
                    .filter(SpecTranslation::resolvesOnNode)
                    .map(resource -> host.apply(SpecTranslation.deployRequest(resource))).toList() : List.of();
            show();
            repaired.forEach(report -> out.println("repaired drift of " + report.name()));
            retargeted.forEach(report -> out.println("resolved the targets of " + report.name() + " again: "
                    + report.message().orElse(report.phase().name())));
        }
    }

    private void show() {
        List<StatusTable.Entry> entries = host.states().stream()
                .map(report -> new StatusTable.Entry(StatusTranslation.state(report), mapValues(report)))
                .toList();
        if (options.clearScreen()) {
            out.print(CLEAR_SCREEN);
        }
        out.println("sigil agent — " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                + (options.duration().isEmpty() ? " (Ctrl-C to stop)" : ""));
        out.print(StatusTable.render(entries));
        unread.forEach(refusal -> out.println("! " + refusal));
        out.flush();
    }

    private Map<String, Long> mapValues(ResourceReport report) {
        Map<String, Long> values = new LinkedHashMap<>();
        if (report.phase() != ResourceReport.Phase.Attached) {
            return values;
        }
        for (String map : watchedMaps(report.name())) {
            host.readMapValue(report.name(), map, 0).ifPresent(value -> values.put(map, value));
        }
        return values;
    }

    private List<String> watchedMaps(String resourceName) {
        if (!options.watchMaps().isEmpty()) {
            return options.watchMaps();
        }
        SignedBpfProgram resource = resources.get(resourceName);
        return resource == null || resource.getSpec().getMaps() == null ? List.of()
                : resource.getSpec().getMaps().stream().map(MapSpec::getName).toList();
    }

    /** Unloads only what this run loaded; resources adopted from earlier runs stay as they were. */
    private void cleanUp() {
        try {
            List<String> loaded = host.states().stream()
                    .filter(report -> resources.containsKey(report.name()) && report.phase() != ResourceReport.Phase.Failed)
                    .map(ResourceReport::name)
                    .toList();
            if (options.keep()) {
                if (!loaded.isEmpty()) {
                    out.println("leaving " + String.join(", ", loaded) + " pinned and attached (sigil agent unload NAME removes them)");
                }
                return;
            }
            for (String name : loaded) {
                ResourceReport report = host.unload(name);
                out.println("unloaded " + name + report.message().map(message -> ": " + message).orElse(""));
            }
        } finally {
            host.close();
            out.flush();
        }
    }
}
