package dev.sigil.agent.standalone;

import static dev.sigil.agent.testing.TestPrograms.program;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.node.FailureCause;
import dev.sigil.agent.testing.FakeKernel;
import dev.sigil.agent.testing.FakeProgramHost;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.signing.ReasonCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class StandaloneAgentTest {
    private static final Duration FAST = Duration.ofMillis(20);

    private final FakeKernel kernel = new FakeKernel();
    private final StringWriter output = new StringWriter();
    private final PrintWriter out = new PrintWriter(output, true);

    @Test
    void loadsShowsTheCounterAndUnloadsWhenDone() throws Exception {
        kernel.setMapValue("counter", "counts", 42);
        StandaloneAgent agent = agent(host(), new StandaloneOptions(FAST, false, List.of(), Optional.of(Duration.ZERO), false));

        int exit = agent.run(List.of(program("counter", "loader", null)), List.of());

        assertThat(exit).isZero();
        assertThat(text()).contains("counter   count_sys_enter  Attached  Agent")
                .contains("RawTracepoint(sys_enter)  counts=42")
                .contains("unloaded counter");
        assertThat(kernel.pinned()).isEmpty();
        assertThat(kernel.openHosts()).isZero();
    }

    @Test
    void showsOnlyTheWatchedMap() throws Exception {
        kernel.setMapValue("counter", "counts", 7);
        kernel.setMapValue("counter", "data", 1);
        StandaloneAgent agent = agent(host(), new StandaloneOptions(FAST, false, List.of("data"), Optional.of(Duration.ZERO), false));

        agent.run(List.of(program("counter", "loader", null)), List.of());

        assertThat(text()).contains("data=1").doesNotContain("counts=");
    }

    @Test
    void reportsARejectedResourceWithItsReasonAndRunsTheOthers() throws Exception {
        FakeProgramHost host = new FakeProgramHost(kernel, request -> request.name().equals("tampered")
                ? Optional.of(new FakeProgramHost.Rejection(new FailureCause.Untrusted(ReasonCode.HashMismatch),
                        "metadata does not match its hash"))
                : Optional.empty());
        StandaloneAgent agent = agent(host, new StandaloneOptions(FAST, false, List.of(), Optional.of(Duration.ZERO), false));

        int exit = agent.run(List.of(program("counter", "loader", null), program("tampered", "other", null)), List.of());

        assertThat(exit).isZero();
        assertThat(text()).contains("counter: verifying, loading and attaching...", "tampered: verifying, loading and attaching...")
                .containsPattern("counter: Attached in \\d+ ms")
                .containsPattern("tampered: Failed \\(HashMismatch\\) in \\d+ ms");
        assertThat(text()).contains("! tampered: HashMismatch: metadata does not match its hash")
                .contains("unloaded counter")
                .doesNotContain("unloaded tampered");
    }

    @Test
    void exitsNonZeroWhenNothingCouldBeLoaded() throws Exception {
        FakeProgramHost host = new FakeProgramHost(kernel,
                request -> Optional.of(new FakeProgramHost.Rejection(new FailureCause.Untrusted(ReasonCode.UntrustedSigner),
                        "no trust anchor issued CN=someone")));
        StandaloneAgent agent = agent(host, new StandaloneOptions(FAST, false, List.of(), Optional.empty(), false));

        int exit = agent.run(List.of(program("a", "l1", null), program("b", "l2", null)), List.of());

        assertThat(exit).isEqualTo(StandaloneAgent.NOTHING_LOADED);
        assertThat(text()).contains("! a: UntrustedSigner").contains("! b: UntrustedSigner")
                .contains("none of the 2 resource(s) could be loaded");
        assertThat(kernel.openHosts()).isZero();
    }

    @Test
    void keepLeavesTheResourcesPinnedForTheNextRunToAdopt() throws Exception {
        StandaloneAgent first = agent(host(), new StandaloneOptions(FAST, true, List.of(), Optional.of(Duration.ZERO), false));
        first.run(List.of(program("counter", "loader", null)), List.of());
        int link = kernel.pinned().get("counter").programs().getFirst().attached().getFirst().linkId();

        assertThat(kernel.isPinned("counter")).isTrue();
        assertThat(text()).contains("leaving counter pinned and attached");

        FakeProgramHost second = host();
        agent(second, new StandaloneOptions(FAST, false, List.of(), Optional.of(Duration.ZERO), false))
                .run(List.of(program("counter", "loader", null)), List.of());

        assertThat(text()).contains("counter   count_sys_enter  Attached  Agent        100      " + link);
        assertThat(kernel.pinned()).isEmpty();
    }

    @Test
    void refreshesRepairsDriftAndUnloadsWhenStopped() throws Exception {
        StandaloneAgent agent = agent(host(), new StandaloneOptions(FAST, false, List.of(), Optional.empty(), true));
        SignedBpfProgram counter = program("counter", "loader", null);
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> {
            try {
                return agent.run(List.of(counter), List.of());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().until(() -> kernel.isPinned("counter"));

        kernel.detachLinks("counter");
        await().until(() -> text().contains("repaired drift of counter"));
        agent.stop();

        assertThat(running.get()).isZero();
        assertThat(text()).contains("\033[H\033[2J").contains("unloaded counter");
        assertThat(kernel.pinned()).isEmpty();
    }

    private FakeProgramHost host() {
        return FakeProgramHost.trustingEverything(kernel);
    }

    private StandaloneAgent agent(FakeProgramHost host, StandaloneOptions options) {
        return new StandaloneAgent(host, options, out);
    }

    private String text() {
        return output.toString();
    }
}
