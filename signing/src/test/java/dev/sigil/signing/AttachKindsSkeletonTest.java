package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The skeleton of {@code src/test/bpf/attach_kinds.bpf.c} (one program per attach kind, compiled by clang
 * and bpftool in the build): what each program's load attributes say, and the default attach points of
 * programs a light skeleton opens with {@code skel_raw_tracepoint_open(NULL, fd)}.
 */
class AttachKindsSkeletonTest {
    static final String RESOURCE = "bpf/attach_kinds.lskel.h";

    static LightSkeleton skeleton() {
        try {
            return LightSkeleton.parse(LightSkeletonTest.resource(RESOURCE), RESOURCE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsTypeExpectedAttachTypeAndBtfTargetOfEveryProgram() {
        assertThat(skeleton().programLoads()).containsExactly(
                new ProgramLoad("on_raw_tp", ProgramLoad.TYPE_RAW_TRACEPOINT, 0, Optional.empty()),
                new ProgramLoad("on_tp_btf", ProgramLoad.TYPE_TRACING, ProgramLoad.ATTACH_TRACE_RAW_TP, Optional.of("sched_switch")),
                new ProgramLoad("on_fentry", ProgramLoad.TYPE_TRACING, ProgramLoad.ATTACH_TRACE_FENTRY, Optional.of("bpf_fentry_test1")),
                new ProgramLoad("on_fexit", ProgramLoad.TYPE_TRACING, ProgramLoad.ATTACH_TRACE_FEXIT, Optional.of("bpf_fentry_test1")),
                new ProgramLoad("on_lsm", ProgramLoad.TYPE_LSM, ProgramLoad.ATTACH_LSM_MAC, Optional.of("file_open")),
                new ProgramLoad("on_xdp", ProgramLoad.TYPE_XDP, ProgramLoad.ATTACH_XDP, Optional.empty()),
                new ProgramLoad("on_tc", ProgramLoad.TYPE_SCHED_CLS, 0, Optional.empty()),
                new ProgramLoad("on_cg_egress", ProgramLoad.TYPE_CGROUP_SKB, 1, Optional.empty()),
                new ProgramLoad("on_connect4", ProgramLoad.TYPE_CGROUP_SOCK_ADDR, 10, Optional.empty()),
                new ProgramLoad("on_tracepoint", ProgramLoad.TYPE_TRACEPOINT, 0, Optional.empty()),
                new ProgramLoad("on_uprobe", ProgramLoad.TYPE_KPROBE, 0, Optional.empty()),
                new ProgramLoad("on_sk_lookup", ProgramLoad.TYPE_SK_LOOKUP, ProgramLoad.ATTACH_SK_LOOKUP, Optional.empty()));
    }

    @Test
    void programsOpenedAtTheirOwnBtfTargetDefaultToIt() {
        assertThat(skeleton().defaultAttach()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "on_raw_tp", new AttachHint("raw_tracepoint", "sys_enter"),
                "on_tp_btf", new AttachHint("tp_btf", "sched_switch"),
                "on_fentry", new AttachHint("fentry", "bpf_fentry_test1"),
                "on_fexit", new AttachHint("fexit", "bpf_fentry_test1"),
                "on_lsm", new AttachHint("lsm", "file_open")));
    }

    @Test
    void aResourceNamesAProgramByItsWholeKernelName() {
        ProgramLoad load = skeleton().programLoads().get(7);

        assertThat(load.isNamed("on_cg_egress")).isTrue();
        assertThat(load.isNamed("on_cg_egress/x")).as("a longer name is not compared by its prefix").isFalse();
        assertThat(load.isNamed("on_cg_egres")).isFalse();
        assertThat(load.isNamed("on_cg_ingress")).isFalse();
    }

    @Test
    void theLoaderCutsALongCNameToTheFifteenCharactersTheKernelKeeps() {
        ProgramLoad load = new ProgramLoad("handle_exec_eve", ProgramLoad.TYPE_RAW_TRACEPOINT, 0, Optional.empty());

        assertThat(load.isLoadOf("handle_exec_event")).isTrue();
        assertThat(load.isLoadOf("handle_exec_eve")).isTrue();
        assertThat(load.isLoadOf("handle_exit_event")).isFalse();
        assertThat(load.isNamed("handle_exec_event")).as("a resource names it as the kernel does").isFalse();
    }

    @Test
    void describesWhatTheLoaderMakes() {
        assertThat(skeleton().programLoads()).extracting(ProgramLoad::describe).containsExactly(
                "raw_tracepoint", "tracing (tp_btf sched_switch)", "tracing (fentry bpf_fentry_test1)",
                "tracing (fexit bpf_fentry_test1)", "lsm (lsm file_open)", "xdp", "sched_cls", "cgroup_skb",
                "cgroup_sock_addr", "tracepoint", "kprobe", "sk_lookup");
    }
}
