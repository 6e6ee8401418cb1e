package dev.sigil.signing.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.signing.ProgramLoad;
import dev.sigil.signing.intent.ResourceClaims.AttachPoint;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The probe kinds against the program types the kernel links them for, judged from the signed load attributes. */
class AttachCompatibilityTest {
    private static final AttachPoint TRACEPOINT = point("Tracepoint", Map.of("category", "syscalls", "name", "sys_enter_openat"));
    private static final AttachPoint UPROBE = point("Uprobe", Map.of("binary", "/usr/bin/app", "symbol", "main", "offset", "0"));
    private static final AttachPoint URETPROBE = point("Uretprobe", Map.of("binary", "/usr/bin/app", "symbol", "main",
            "offset", "0", "pid", "42"));
    private static final AttachPoint SK_LOOKUP = point("SkLookup", Map.of("netns", "/var/run/netns/blue"));

    private static AttachPoint point(String type, Map<String, String> fields) {
        return new AttachPoint(type, new TreeMap<>(fields));
    }

    private static ProgramLoad load(int type, int expectedAttachType) {
        return new ProgramLoad("prog", type, expectedAttachType, Optional.empty());
    }

    @Test
    void admitsEachProbeKindForTheProgramTypeItsLinkNeeds() {
        assertThat(AttachCompatibility.refusal("prog", TRACEPOINT, load(ProgramLoad.TYPE_TRACEPOINT, 0))).isEmpty();
        assertThat(AttachCompatibility.refusal("prog", UPROBE, load(ProgramLoad.TYPE_KPROBE, 0))).as("perf-event link").isEmpty();
        assertThat(AttachCompatibility.refusal("prog", URETPROBE, load(ProgramLoad.TYPE_KPROBE,
                ProgramLoad.ATTACH_TRACE_UPROBE_MULTI))).as("uprobe_multi link").isEmpty();
        assertThat(AttachCompatibility.refusal("prog", SK_LOOKUP, load(ProgramLoad.TYPE_SK_LOOKUP, ProgramLoad.ATTACH_SK_LOOKUP)))
                .isEmpty();
    }

    @Test
    void refusesEachProbeKindForAnotherProgramTypeNamingBoth() {
        assertThat(AttachCompatibility.refusal("prog", TRACEPOINT, load(ProgramLoad.TYPE_RAW_TRACEPOINT, 0)))
                .hasValueSatisfying(message -> assertThat(message).contains("program prog is a raw_tracepoint program",
                        "Tracepoint(syscalls, sys_enter_openat)", "needs a tracepoint program"));
        assertThat(AttachCompatibility.refusal("prog", UPROBE, load(ProgramLoad.TYPE_KPROBE, ProgramLoad.ATTACH_TRACE_KPROBE_MULTI)))
                .as("a kprobe_multi program is no uprobe").hasValueSatisfying(message -> assertThat(message)
                        .contains("kprobe (kprobe_multi)", "expected attach type none or uprobe_multi"));
        assertThat(AttachCompatibility.refusal("prog", SK_LOOKUP, load(ProgramLoad.TYPE_XDP, 0)))
                .hasValueSatisfying(message -> assertThat(message).contains("needs a sk_lookup program"));
        assertThat(AttachCompatibility.refusal("prog", SK_LOOKUP, load(ProgramLoad.TYPE_SK_LOOKUP, 0)))
                .as("loaded without BPF_SK_LOOKUP").isPresent();
    }

    @Test
    void namesAMissingTargetField() {
        assertThat(AttachCompatibility.refusal("prog", point("Uprobe", Map.of("binary", "/usr/bin/app", "symbol", "main")),
                load(ProgramLoad.TYPE_KPROBE, 0))).hasValue("program prog: attach type Uprobe needs uprobe.offset");
        assertThat(AttachCompatibility.refusal("prog", point("Tracepoint", Map.of("name", "x")),
                load(ProgramLoad.TYPE_TRACEPOINT, 0))).hasValue("program prog: attach type Tracepoint needs tracepoint.category");
    }
}
