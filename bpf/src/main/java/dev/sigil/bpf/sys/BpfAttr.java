package dev.sigil.bpf.sys;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.MemoryLayout.unionLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * Every kernel byte layout the bridge uses, in one place: the {@code union bpf_attr} variants (one per
 * command family) and the {@code bpf_*_info} structs, as of Linux 6.18 ({@code include/uapi/linux/bpf.h}).
 * Field names are the C names, so {@code BpfAttrLayoutIT} can check every offset against the running
 * kernel's own BTF compiled with gcc. Unnamed groups stand for C's anonymous unions. Info structs may
 * stop early: the kernel copies {@code min(info_len, its size)} bytes.
 *
 * <p>The fields the bridge reads and writes are located in these layouts once, by their C names
 * ({@link BpfAttrFields}): the system calls themselves only write at fixed offsets.
 */
public final class BpfAttr {

    private static ValueLayout.OfInt int32(String name) {
        return JAVA_INT.withName(name);
    }

    private static ValueLayout.OfLong int64(String name) {
        return JAVA_LONG.withName(name);
    }

    private static MemoryLayout charArray(String name, int length) {
        return sequenceLayout(length, JAVA_BYTE).withName(name);
    }

    private static MemoryLayout pad(int bytes) {
        return paddingLayout(bytes);
    }

    /** BPF_MAP_CREATE, with the 6.18 exclusive-map fields. */
    public static final StructLayout MAP_CREATE = structLayout(
            int32("map_type"), int32("key_size"), int32("value_size"), int32("max_entries"), int32("map_flags"),
            int32("inner_map_fd"), int32("numa_node"), charArray("map_name", 16), int32("map_ifindex"), int32("btf_fd"),
            int32("btf_key_type_id"), int32("btf_value_type_id"), int32("btf_vmlinux_value_type_id"), int64("map_extra"),
            int32("value_type_btf_obj_fd"), int32("map_token_fd"), int64("excl_prog_hash"), int32("excl_prog_hash_size"),
            pad(4)).withName("map_create");

    /** BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM, BPF_MAP_FREEZE (which reads only map_fd). */
    public static final StructLayout MAP_ELEM = structLayout(
            int32("map_fd"), pad(4), int64("key"), unionLayout(int64("value"), int64("next_key")), int64("flags"))
            .withName("map_elem");

    /** BPF_PROG_LOAD, with the 6.18 signature fields. */
    public static final StructLayout PROG_LOAD = structLayout(
            int32("prog_type"), int32("insn_cnt"), int64("insns"), int64("license"), int32("log_level"), int32("log_size"),
            int64("log_buf"), int32("kern_version"), int32("prog_flags"), charArray("prog_name", 16), int32("prog_ifindex"),
            int32("expected_attach_type"), int32("prog_btf_fd"), int32("func_info_rec_size"), int64("func_info"),
            int32("func_info_cnt"), int32("line_info_rec_size"), int64("line_info"), int32("line_info_cnt"),
            int32("attach_btf_id"), unionLayout(int32("attach_prog_fd"), int32("attach_btf_obj_fd")),
            int32("core_relo_cnt"), int64("fd_array"), int64("core_relos"), int32("core_relo_rec_size"),
            int32("log_true_size"), int32("prog_token_fd"), int32("fd_array_cnt"), int64("signature"),
            int32("signature_size"), int32("keyring_id")).withName("prog_load");

    /** BPF_OBJ_PIN, BPF_OBJ_GET. */
    public static final StructLayout OBJ = structLayout(
            int64("pathname"), int32("bpf_fd"), int32("file_flags"), int32("path_fd"), pad(4)).withName("obj");

    /** BPF_PROG_RUN ({@code attr.test}). */
    public static final StructLayout PROG_RUN = structLayout(
            int32("prog_fd"), int32("retval"), int32("data_size_in"), int32("data_size_out"), int64("data_in"),
            int64("data_out"), int32("repeat"), int32("duration"), int32("ctx_size_in"), int32("ctx_size_out"),
            int64("ctx_in"), int64("ctx_out"), int32("flags"), int32("cpu"), int32("batch_size"), pad(4)).withName("test");

    /** BPF_*_GET_NEXT_ID and BPF_*_GET_FD_BY_ID. */
    public static final StructLayout GET_ID = structLayout(
            unionLayout(int32("start_id"), int32("prog_id"), int32("map_id"), int32("link_id")),
            int32("next_id"), int32("open_flags"), int32("fd_by_id_token_fd")).withName("get_id");

    /** BPF_OBJ_GET_INFO_BY_FD ({@code attr.info}). */
    public static final StructLayout INFO = structLayout(
            int32("bpf_fd"), int32("info_len"), int64("info")).withName("info");

    /** BPF_RAW_TRACEPOINT_OPEN ({@code attr.raw_tracepoint}). */
    public static final StructLayout RAW_TRACEPOINT_OPEN = structLayout(
            int64("name"), int32("prog_fd"), pad(4), int64("cookie")).withName("raw_tracepoint");

    /** BPF_LINK_CREATE ({@code attr.link_create}), with the target-specific members the agent uses. */
    public static final StructLayout LINK_CREATE = structLayout(
            int32("prog_fd"), unionLayout(int32("target_fd"), int32("target_ifindex")), int32("attach_type"), int32("flags"),
            unionLayout(
                    int32("target_btf_id"),
                    structLayout(int32("flags"), int32("cnt"), int64("syms"), int64("addrs"), int64("cookies"))
                            .withName("kprobe_multi"),
                    structLayout(int32("relative_fd"), pad(4), int64("expected_revision")).withName("tcx"),
                    structLayout(int32("relative_fd"), pad(4), int64("expected_revision")).withName("cgroup"),
                    structLayout(int64("path"), int64("offsets"), int64("ref_ctr_offsets"), int64("cookies"), int32("cnt"),
                            int32("flags"), int32("pid"), pad(4)).withName("uprobe_multi")))
            .withName("link_create");

    /** BPF_LINK_UPDATE ({@code attr.link_update}). */
    public static final StructLayout LINK_UPDATE = structLayout(
            int32("link_fd"), int32("new_prog_fd"), int32("flags"), int32("old_prog_fd")).withName("link_update");

    /** BPF_LINK_DETACH ({@code attr.link_detach}). */
    public static final StructLayout LINK_DETACH = structLayout(int32("link_fd")).withName("link_detach");

    /** BPF_ENABLE_STATS ({@code attr.enable_stats}). */
    public static final StructLayout ENABLE_STATS = structLayout(int32("type")).withName("enable_stats");

    /** {@code struct bpf_map_info}, complete as of 6.18 ({@code hash}/{@code hash_size} are new there). */
    public static final StructLayout MAP_INFO = structLayout(
            int32("type"), int32("id"), int32("key_size"), int32("value_size"), int32("max_entries"), int32("map_flags"),
            charArray("name", 16), int32("ifindex"), int32("btf_vmlinux_value_type_id"), int64("netns_dev"), int64("netns_ino"),
            int32("btf_id"), int32("btf_key_type_id"), int32("btf_value_type_id"), int32("btf_vmlinux_id"), int64("map_extra"),
            int64("hash"), int32("hash_size"), pad(4)).withName("bpf_map_info");

    /**
     * {@code struct bpf_prog_info} up to {@code run_cnt}: identity, tag, name, the maps it uses, and the run
     * statistics the kernel keeps while BPF_ENABLE_STATS is on. The padding after {@code ifindex} is the
     * {@code gpl_compatible} bit field, which the bridge does not read.
     */
    public static final StructLayout PROG_INFO = structLayout(
            int32("type"), int32("id"), charArray("tag", 8), int32("jited_prog_len"), int32("xlated_prog_len"),
            int64("jited_prog_insns"), int64("xlated_prog_insns"), int64("load_time"), int32("created_by_uid"),
            int32("nr_map_ids"), int64("map_ids"), charArray("name", 16), int32("ifindex"), pad(4),
            int64("netns_dev"), int64("netns_ino"), int32("nr_jited_ksyms"), int32("nr_jited_func_lens"),
            int64("jited_ksyms"), int64("jited_func_lens"), int32("btf_id"), int32("func_info_rec_size"),
            int64("func_info"), int32("nr_func_info"), int32("nr_line_info"), int64("line_info"),
            int64("jited_line_info"), int32("nr_jited_line_info"), int32("line_info_rec_size"),
            int32("jited_line_info_rec_size"), int32("nr_prog_tags"), int64("prog_tags"), int64("run_time_ns"),
            int64("run_cnt")).withName("bpf_prog_info");

    /** {@code struct bpf_link_info} with the per-type members that say where a link is attached. */
    public static final StructLayout LINK_INFO = structLayout(
            int32("type"), int32("id"), int32("prog_id"), pad(4),
            unionLayout(
                    structLayout(int64("tp_name"), int32("tp_name_len"), pad(4), int64("cookie")).withName("raw_tracepoint"),
                    structLayout(int32("attach_type"), int32("target_obj_id"), int32("target_btf_id"), pad(4), int64("cookie"))
                            .withName("tracing"),
                    structLayout(int64("cgroup_id"), int32("attach_type"), pad(4)).withName("cgroup"),
                    structLayout(int32("ifindex")).withName("xdp"),
                    structLayout(int32("ifindex"), int32("attach_type")).withName("tcx"),
                    structLayout(int32("netns_ino"), int32("attach_type")).withName("netns")))
            .withName("bpf_link_info");

    /**
     * {@code struct perf_event_attr}, size {@code PERF_ATTR_SIZE_VER8}. Padding stands for the word of one-bit
     * flags after {@code read_format} (the agent sets none) and the two u16s before {@code aux_sample_size}.
     */
    public static final StructLayout PERF_EVENT_ATTR = structLayout(
            int32("type"), int32("size"), int64("config"), unionLayout(int64("sample_period"), int64("sample_freq")),
            int64("sample_type"), int64("read_format"), pad(8), unionLayout(int32("wakeup_events"), int32("wakeup_watermark")),
            int32("bp_type"), unionLayout(int64("bp_addr"), int64("kprobe_func"), int64("uprobe_path"), int64("config1")),
            unionLayout(int64("bp_len"), int64("kprobe_addr"), int64("probe_offset"), int64("config2")),
            int64("branch_sample_type"), int64("sample_regs_user"), int32("sample_stack_user"), int32("clockid"),
            int64("sample_regs_intr"), int32("aux_watermark"), pad(4), int32("aux_sample_size"), unionLayout(int32("aux_action")),
            int64("sig_data"), int64("config3")).withName("perf_event_attr");

    private BpfAttr() {
    }
}
