package dev.sigil.agent.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.signing.SignedBundle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The standalone agent on the real kernel with the signed example and a tampered copy of it. */
class StandaloneOnKernelIT {
    private static final Pattern COUNTS = Pattern.compile("counts=(\\d+)");
    private static final Pattern PROGRAM_ID = Pattern.compile("count_sys_enter\\s+Attached\\s+\\S+\\s+(\\d+)");

    private HostFixture fixture;

    @BeforeEach
    void start() {
        fixture = HostFixture.requiring(AttachKind.RawTracepoint);
    }

    @AfterEach
    void cleanUp() throws Exception {
        HostFixture.closeIfStarted(fixture);
    }

    @Test
    void showsTheCounterRisingRejectsTheTamperedCopyAndLeavesNothingBehind() throws Exception {
        SignedBundle bundle = TestBundles.sign(TestBundles.counter(), TestBundles.key());
        SignedBundle tampered = TestBundles.withMetadata(bundle,
                TestBundles.flipByte(bundle.metadata(), bundle.metadata().length / 2));
        String counter = TestBundles.uniqueName("counter");
        String forged = TestBundles.uniqueName("forged");
        StringWriter output = new StringWriter();
        StandaloneAgent agent = new StandaloneAgent(fixture.programHost(),
                new StandaloneOptions(Duration.ofMillis(200), false, List.of("counts"), Optional.of(Duration.ofSeconds(1)), false),
                new PrintWriter(output, true));

        int exit = agent.run(List.of(
                TestResources.counterResource(counter, 1, bundle, Enforcement.Auto),
                TestResources.counterResource(forged, 1, tampered, Enforcement.Auto)), List.of());

        String text = output.toString();
        assertThat(exit).as(text).isZero();
        List<Long> counts = COUNTS.matcher(text).results().map(match -> Long.parseLong(match.group(1))).toList();
        assertThat(counts).as(text).hasSizeGreaterThanOrEqualTo(2);
        assertThat(counts.getLast()).as("the counter rises").isGreaterThan(counts.getFirst());
        assertThat(text).contains("! " + forged + ": HashMismatch: ").contains("unloaded " + counter);
        Matcher programId = PROGRAM_ID.matcher(text);
        assertThat(programId.find()).isTrue();
        try (Fd gone = LinuxSyscallBridge.create().fdById(ObjectKind.PROGRAM, Integer.parseInt(programId.group(1))).orElse(null)) {
            assertThat(gone).as("program %s is still loaded", programId.group(1)).isNull();
        }
        try (Stream<java.nio.file.Path> left = Files.exists(fixture.pinRoot()) ? Files.list(fixture.pinRoot()) : Stream.empty()) {
            assertThat(left).as("pins left under %s", fixture.pinRoot()).isEmpty();
        }
    }
}
