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
 */
public final class BpfAttr {

    private static ValueLayout.OfInt u32(String name) {
        return JAVA_INT.withName(name);
    }

    private static ValueLayout.OfLong u64(String name) {
        return JAVA_LONG.withName(name);
    }

    private static MemoryLayout chars(String name, int length) {
        return sequenceLayout(length, JAVA_BYTE).withName(name);
    }

    private static MemoryLayout pad(int bytes) {
        return paddingLayout(bytes);
    }

    /** BPF_MAP_CREATE, with the 6.18 exclusive-map fields. */
    public static final StructLayout MAP_CREATE = structLayout(
            u32("map_type"), u32("key_size"), u32("value_size"), u32("max_entries"), u32("map_flags"),
            u32("inner_map_fd"), u32("numa_node"), chars("map_name", 16), u32("map_ifindex"), u32("btf_fd"),
            u32("btf_key_type_id"), u32("btf_value_type_id"), u32("btf_vmlinux_value_type_id"), u64("map_extra"),
            u32("value_type_btf_obj_fd"), u32("map_token_fd"), u64("excl_prog_hash"), u32("excl_prog_hash_size"),
            pad(4)).withName("map_create");

    /** BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM, BPF_MAP_FREEZE (which reads only map_fd). */
    public static final StructLayout MAP_ELEM = structLayout(
            u32("map_fd"), pad(4), u64("key"), unionLayout(u64("value"), u64("next_key")), u64("flags"))
            .withName("map_elem");

    /** BPF_PROG_LOAD, with the 6.18 signature fields. */
    public static final StructLayout PROG_LOAD = structLayout(
            u32("prog_type"), u32("insn_cnt"), u64("insns"), u64("license"), u32("log_level"), u32("log_size"),
            u64("log_buf"), u32("kern_version"), u32("prog_flags"), chars("prog_name", 16), u32("prog_ifindex"),
            u32("expected_attach_type"), u32("prog_btf_fd"), u32("func_info_rec_size"), u64("func_info"),
            u32("func_info_cnt"), u32("line_info_rec_size"), u64("line_info"), u32("line_info_cnt"),
            u32("attach_btf_id"), unionLayout(u32("attach_prog_fd"), u32("attach_btf_obj_fd")),
            u32("core_relo_cnt"), u64("fd_array"), u64("core_relos"), u32("core_relo_rec_size"),
            u32("log_true_size"), u32("prog_token_fd"), u32("fd_array_cnt"), u64("signature"),
            u32("signature_size"), u32("keyring_id")).withName("prog_load");

    /** BPF_OBJ_PIN, BPF_OBJ_GET. */
    public static final StructLayout OBJ = structLayout(
            u64("pathname"), u32("bpf_fd"), u32("file_flags"), u32("path_fd"), pad(4)).withName("obj");

    /** BPF_PROG_RUN ({@code attr.test}). */
    public static final StructLayout PROG_RUN = structLayout(
            u32("prog_fd"), u32("retval"), u32("data_size_in"), u32("data_size_out"), u64("data_in"),
            u64("data_out"), u32("repeat"), u32("duration"), u32("ctx_size_in"), u32("ctx_size_out"),
            u64("ctx_in"), u64("ctx_out"), u32("flags"), u32("cpu"), u32("batch_size"), pad(4)).withName("test");

    /** BPF_*_GET_NEXT_ID and BPF_*_GET_FD_BY_ID. */
    public static final StructLayout GET_ID = structLayout(
            unionLayout(u32("start_id"), u32("prog_id"), u32("map_id"), u32("link_id")),
            u32("next_id"), u32("open_flags"), u32("fd_by_id_token_fd")).withName("get_id");

    /** BPF_OBJ_GET_INFO_BY_FD ({@code attr.info}). */
    public static final StructLayout INFO = structLayout(
            u32("bpf_fd"), u32("info_len"), u64("info")).withName("info");

    /** BPF_RAW_TRACEPOINT_OPEN ({@code attr.raw_tracepoint}). */
    public static final StructLayout RAW_TRACEPOINT_OPEN = structLayout(
            u64("name"), u32("prog_fd"), pad(4), u64("cookie")).withName("raw_tracepoint");

    /** BPF_LINK_CREATE ({@code attr.link_create}), with the target-specific members the agent uses. */
    public static final StructLayout LINK_CREATE = structLayout(
            u32("prog_fd"), unionLayout(u32("target_fd"), u32("target_ifindex")), u32("attach_type"), u32("flags"),
            unionLayout(
                    u32("target_btf_id"),
                    structLayout(u32("flags"), u32("cnt"), u64("syms"), u64("addrs"), u64("cookies"))
                            .withName("kprobe_multi"),
                    structLayout(u32("relative_fd"), pad(4), u64("expected_revision")).withName("tcx"),
                    structLayout(u32("relative_fd"), pad(4), u64("expected_revision")).withName("cgroup"),
                    structLayout(u64("bpf_cookie")).withName("perf_event"),
                    structLayout(u64("path"), u64("offsets"), u64("ref_ctr_offsets"), u64("cookies"), u32("cnt"),
                            u32("flags"), u32("pid"), pad(4)).withName("uprobe_multi")))
            .withName("link_create");

    /** BPF_LINK_UPDATE ({@code attr.link_update}). */
    public static final StructLayout LINK_UPDATE = structLayout(
            u32("link_fd"), u32("new_prog_fd"), u32("flags"), u32("old_prog_fd")).withName("link_update");

    /** BPF_LINK_DETACH ({@code attr.link_detach}). */
    public static final StructLayout LINK_DETACH = structLayout(u32("link_fd")).withName("link_detach");

    /** {@code struct bpf_map_info}, complete as of 6.18 ({@code hash}/{@code hash_size} are new there). */
    public static final StructLayout MAP_INFO = structLayout(
            u32("type"), u32("id"), u32("key_size"), u32("value_size"), u32("max_entries"), u32("map_flags"),
            chars("name", 16), u32("ifindex"), u32("btf_vmlinux_value_type_id"), u64("netns_dev"), u64("netns_ino"),
            u32("btf_id"), u32("btf_key_type_id"), u32("btf_value_type_id"), u32("btf_vmlinux_id"), u64("map_extra"),
            u64("hash"), u32("hash_size"), pad(4)).withName("bpf_map_info");

    /** {@code struct bpf_prog_info} up to {@code ifindex}: identity, tag, name and the maps it uses. */
    public static final StructLayout PROG_INFO = structLayout(
            u32("type"), u32("id"), chars("tag", 8), u32("jited_prog_len"), u32("xlated_prog_len"),
            u64("jited_prog_insns"), u64("xlated_prog_insns"), u64("load_time"), u32("created_by_uid"),
            u32("nr_map_ids"), u64("map_ids"), chars("name", 16), u32("ifindex"), pad(4)).withName("bpf_prog_info");

    /** {@code struct bpf_link_info} with the per-type members that say where a link is attached. */
    public static final StructLayout LINK_INFO = structLayout(
            u32("type"), u32("id"), u32("prog_id"), pad(4),
            unionLayout(
                    structLayout(u64("tp_name"), u32("tp_name_len"), pad(4), u64("cookie")).withName("raw_tracepoint"),
                    structLayout(u32("attach_type"), u32("target_obj_id"), u32("target_btf_id"), pad(4), u64("cookie"))
                            .withName("tracing"),
                    structLayout(u64("cgroup_id"), u32("attach_type"), pad(4)).withName("cgroup"),
                    structLayout(u32("ifindex")).withName("xdp"),
                    structLayout(u32("ifindex"), u32("attach_type")).withName("tcx"),
                    structLayout(u32("netns_ino"), u32("attach_type")).withName("netns"),
                    structLayout(u32("type"), pad(4), unionLayout(
                            structLayout(u64("file_name"), u32("name_len"), u32("offset"), u64("cookie"),
                                    u64("ref_ctr_offset")).withName("uprobe"),
                            structLayout(u64("tp_name"), u32("name_len"), pad(4), u64("cookie")).withName("tracepoint")))
                            .withName("perf_event"),
                    structLayout(u64("path"), u64("offsets"), u64("ref_ctr_offsets"), u64("cookies"), u32("path_size"),
                            u32("count"), u32("flags"), u32("pid")).withName("uprobe_multi")))
            .withName("bpf_link_info");

    /**
     * {@code struct perf_event_attr} (perf_event_open(2)), size {@code PERF_ATTR_SIZE_VER8}. The padding after
     * {@code read_format} is the word of one-bit flags (disabled, inherit, ...), none of which the agent sets;
     * the padding before {@code aux_sample_size} holds the two u16 fields {@code sample_max_stack} and
     * {@code __reserved_2}.
     */
    public static final StructLayout PERF_EVENT_ATTR = structLayout(
            u32("type"), u32("size"), u64("config"), unionLayout(u64("sample_period"), u64("sample_freq")),
            u64("sample_type"), u64("read_format"), pad(8), unionLayout(u32("wakeup_events"), u32("wakeup_watermark")),
            u32("bp_type"), unionLayout(u64("bp_addr"), u64("kprobe_func"), u64("uprobe_path"), u64("config1")),
            unionLayout(u64("bp_len"), u64("kprobe_addr"), u64("probe_offset"), u64("config2")),
            u64("branch_sample_type"), u64("sample_regs_user"), u32("sample_stack_user"), u32("clockid"),
            u64("sample_regs_intr"), u32("aux_watermark"), pad(4), u32("aux_sample_size"), unionLayout(u32("aux_action")),
            u64("sig_data"), u64("config3")).withName("perf_event_attr");

    private BpfAttr() {
    }
}
