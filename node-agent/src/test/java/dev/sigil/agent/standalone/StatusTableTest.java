package dev.sigil.agent.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusTableTest {
    @Test
    void rendersOneAlignedRowPerProgramThenTheReasonOfEachFailure() {
        NodeProgramState counter = state("counter", ProgramPhase.Attached, AppliedEnforcement.Agent,
                program("count_sys_enter", 412L, 37L, "RawTracepoint(sys_enter)"));
        NodeProgramState tampered = state("tampered", ProgramPhase.Failed, null);
        tampered.setReason("HashMismatch");
        tampered.setMessage("metadata hashes to sha256:ab..., the resource says sha256:cd...");

        String table = StatusTable.render(List.of(
                new StatusTable.Entry(tampered, Map.of()),
                new StatusTable.Entry(counter, Map.of("data", 1L, "counts", 123456L))));

        assertThat(table).isEqualTo("""
                RESOURCE  PROGRAM          PHASE     ENFORCEMENT  PROG ID  LINK ID  ATTACHED TO               MAPS (key 0)
                counter   count_sys_enter  Attached  Agent        412      37       RawTracepoint(sys_enter)  counts=123456 data=1
                tampered  -                Failed    -            -        -        -                         -
                ! tampered: HashMismatch: metadata hashes to sha256:ab..., the resource says sha256:cd...
                """);
    }

    @Test
    void listsEveryProgramOfAResource() {
        NodeProgramState pair = state("pair", ProgramPhase.Attached, AppliedEnforcement.Kernel,
                program("ingress", 1L, 2L, "Tcx(veth0, Ingress)"), program("egress", 3L, 4L, "Tcx(veth0, Egress)"));

        String table = StatusTable.render(List.of(new StatusTable.Entry(pair, Map.of())));

        assertThat(table.lines()).hasSize(3);
        assertThat(table).contains("pair      ingress  Attached  Kernel       1        2        Tcx(veth0, Ingress)")
                .contains("pair      egress   Attached  Kernel       3        4        Tcx(veth0, Egress)");
    }

    @Test
    void showsTheEndOfTheVerifierLogOfAProgramTheKernelRefused() {
        NodeProgramState refused = state("refused", ProgramPhase.Failed, AppliedEnforcement.Agent);
        refused.setReason("ProgramLoadFailed");
        refused.setMessage("the verifier refused count_sys_enter");
        refused.setVerifierLogTail("line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nR0 !read_ok");

        String table = StatusTable.render(List.of(new StatusTable.Entry(refused, Map.of())));

        assertThat(table).contains("! refused: ProgramLoadFailed: the verifier refused count_sys_enter\n")
                .contains("    | R0 !read_ok\n")
                .contains("    | line 3\n")
                .doesNotContain("line 2");
    }

    @Test
    void printsCountersAsUnsigned() {
        NodeProgramState counter = state("counter", ProgramPhase.Attached, AppliedEnforcement.Agent,
                program("count_sys_enter", 1L, 2L, "RawTracepoint(sys_enter)"));

        String table = StatusTable.render(List.of(new StatusTable.Entry(counter, Map.of("counts", -1L))));

        assertThat(table).contains("counts=18446744073709551615");
    }

    @Test
    void saysSoWhenThereIsNothing() {
        assertThat(StatusTable.render(List.of())).isEqualTo("no resources\n");
    }

    private static NodeProgramState state(String name, ProgramPhase phase, AppliedEnforcement enforcement,
            LoadedProgram... programs) {
        NodeProgramState state = new NodeProgramState();
        state.setName(name);
        state.setPhase(phase);
        state.setEnforcement(enforcement);
        state.setPrograms(List.of(programs));
        return state;
    }

    private static LoadedProgram program(String name, long programId, long linkId, String attachedTo) {
        LoadedProgram program = new LoadedProgram();
        program.setName(name);
        program.setProgramId(programId);
        program.setLinkId(linkId);
        program.setAttachedTo(attachedTo);
        return program;
    }
}
