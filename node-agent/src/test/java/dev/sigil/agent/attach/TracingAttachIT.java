package dev.sigil.bpf.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BTF-typed programs: tp_btf attaches and counts; fentry is attached where allowed, refused clearly where not. */
class TracingAttachIT {
    private HostFixture fixture;
    private KernelFeatures kernel;

    @BeforeEach
    void start() {
        kernel = KernelAssumptions.requireLoaderHashV1();
        fixture = new HostFixture(kernel);
    }

    @AfterEach
    void cleanUp() throws Exception {
        HostFixture.closeIfStarted(fixture);
    }

    private NodeProgramState apply(String name, String skeleton, String program, AttachSpec attach) {
        return fixture.host().apply(TestResources.resource(name, 1,
                TestBundles.sign(TestBundles.skeleton(skeleton), TestBundles.key()),
                List.of(new ProgramSpec(program, attach)), List.of(new MapSpec("hits")), Enforcement.Auto));
    }

    @Test
    void tpBtfProgramCountsSystemCalls() {
        KernelAssumptions.require("tp_btf attach", kernel.attach(AttachKind.TpBtf));
        String name = TestBundles.uniqueName("tpbtf");
        NodeProgramState state = apply(name, "bpf/tp_btf_count.lskel.h", "tp_btf_count", AttachSpec.tpBtf("sys_enter"));

        assertThat(state.getPhase()).as(state.getMessage()).isEqualTo(ProgramPhase.Attached);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> fixture.host().readMapValue(name, "hits", 0).orElseThrow() > 0);
    }

    @Test
    void fentryIsAttachedWhereTheKernelAllowsItAndRefusedWithTheKernelsReasonElsewhere() {
        String name = TestBundles.uniqueName("fentry");
        NodeProgramState state = apply(name, "bpf/fentry_count.lskel.h", "fentry_count",
                AttachSpec.function(AttachType.Fentry, "bpf_fentry_test1"));

        if (kernel.attach(AttachKind.Fentry).isSupported()) {
            assertThat(state.getPhase()).as(state.getMessage()).isEqualTo(ProgramPhase.Attached);
        } else {
            assertThat(state.getPhase()).isEqualTo(ProgramPhase.Failed);
            assertThat(state.getReason()).isEqualTo("AttachUnsupported");
            assertThat(state.getMessage()).contains("Fentry", kernel.attach(AttachKind.Fentry).describe().substring(13));
            assertThat(fixture.pinRoot().resolve(name)).doesNotExist();
        }
    }
}
