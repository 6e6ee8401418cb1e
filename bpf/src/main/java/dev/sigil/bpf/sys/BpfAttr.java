package dev.sigil.bpf.sys;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.MemoryLayout.unionLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static dev.sigil.bpf.sys.AttrField.chars;
import static dev.sigil.bpf.sys.AttrField.u32;
import static dev.sigil.bpf.sys.AttrField.u64;

import dev.sigil.bpf.sys.AttrField.Chars;
import dev.sigil.bpf.sys.AttrField.U32;
import dev.sigil.bpf.sys.AttrField.U64;

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
 * <p>The fields the bridge reads and writes are located here once, by their C names, in one nested class per
 * layout ({@link AttrField}): the system calls themselves only write at fixed offsets.
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

    /** Fields of {@link #MAP_CREATE}. */
    static final class MapCreate {
        static final U32 MAP_TYPE = u32(MAP_CREATE, "map_type");
        static final U32 KEY_SIZE = u32(MAP_CREATE, "key_size");
        static final U32 VALUE_SIZE = u32(MAP_CREATE, "value_size");
        static final U32 MAX_ENTRIES = u32(MAP_CREATE, "max_entries");
        static final U32 MAP_FLAGS = u32(MAP_CREATE, "map_flags");
        static final Chars MAP_NAME = chars(MAP_CREATE, "map_name");
        static final U64 EXCL_PROG_HASH = u64(MAP_CREATE, "excl_prog_hash");
        static final U32 EXCL_PROG_HASH_SIZE = u32(MAP_CREATE, "excl_prog_hash_size");
    }

    /** Fields of {@link #MAP_ELEM}. */
    static final class MapElem {
        static final U32 MAP_FD = u32(MAP_ELEM, "map_fd");
        static final U64 KEY = u64(MAP_ELEM, "key");
        static final U64 VALUE = u64(MAP_ELEM, "value");
    }

    /** Fields of {@link #PROG_LOAD}. */
    static final class ProgLoad {
        static final U32 PROG_TYPE = u32(PROG_LOAD, "prog_type");
        static final U32 INSN_CNT = u32(PROG_LOAD, "insn_cnt");
        static final U64 INSNS = u64(PROG_LOAD, "insns");
        static final U64 LICENSE = u64(PROG_LOAD, "license");
        static final U32 LOG_LEVEL = u32(PROG_LOAD, "log_level");
        static final U32 LOG_SIZE = u32(PROG_LOAD, "log_size");
        static final U64 LOG_BUF = u64(PROG_LOAD, "log_buf");
        static final U32 PROG_FLAGS = u32(PROG_LOAD, "prog_flags");
        static final Chars PROG_NAME = chars(PROG_LOAD, "prog_name");
        static final U32 EXPECTED_ATTACH_TYPE = u32(PROG_LOAD, "expected_attach_type");
        static final U32 ATTACH_BTF_ID = u32(PROG_LOAD, "attach_btf_id");
        static final U64 FD_ARRAY = u64(PROG_LOAD, "fd_array");
        static final U32 FD_ARRAY_CNT = u32(PROG_LOAD, "fd_array_cnt");
        static final U64 SIGNATURE = u64(PROG_LOAD, "signature");
        static final U32 SIGNATURE_SIZE = u32(PROG_LOAD, "signature_size");
        static final U32 KEYRING_ID = u32(PROG_LOAD, "keyring_id");
    }

    /** Fields of {@link #OBJ}. */
    static final class Obj {
        static final U64 PATHNAME = u64(OBJ, "pathname");
        static final U32 BPF_FD = u32(OBJ, "bpf_fd");
    }

    /** Fields of {@link #PROG_RUN}. */
    static final class ProgRun {
        static final U32 PROG_FD = u32(PROG_RUN, "prog_fd");
        static final U32 RETVAL = u32(PROG_RUN, "retval");
        static final U32 CTX_SIZE_IN = u32(PROG_RUN, "ctx_size_in");
        static final U64 CTX_IN = u64(PROG_RUN, "ctx_in");
    }

    /** Fields of {@link #GET_ID}. */
    static final class GetId {
        static final U32 START_ID = u32(GET_ID, "start_id");
        static final U32 PROG_ID = u32(GET_ID, "prog_id");
        static final U32 MAP_ID = u32(GET_ID, "map_id");
        static final U32 LINK_ID = u32(GET_ID, "link_id");
        static final U32 NEXT_ID = u32(GET_ID, "next_id");
    }

    /** Fields of {@link #INFO}. */
    static final class Info {
        static final U32 BPF_FD = u32(INFO, "bpf_fd");
        static final U32 INFO_LEN = u32(INFO, "info_len");
        static final U64 INFO_ADDRESS = u64(INFO, "info");
    }

    /** Fields of {@link #RAW_TRACEPOINT_OPEN}. */
    static final class RawTracepointOpen {
        static final U64 NAME = u64(RAW_TRACEPOINT_OPEN, "name");
        static final U32 PROG_FD = u32(RAW_TRACEPOINT_OPEN, "prog_fd");
    }

    /** Fields of {@link #LINK_CREATE}. */
    static final class LinkCreate {
        static final U32 PROG_FD = u32(LINK_CREATE, "prog_fd");
        static final U32 TARGET_FD = u32(LINK_CREATE, "target_fd");
        static final U32 ATTACH_TYPE = u32(LINK_CREATE, "attach_type");
        static final U32 FLAGS = u32(LINK_CREATE, "flags");
        static final U32 KPROBE_MULTI_CNT = u32(LINK_CREATE, "kprobe_multi.cnt");
        static final U64 KPROBE_MULTI_SYMS = u64(LINK_CREATE, "kprobe_multi.syms");
        static final U64 UPROBE_MULTI_PATH = u64(LINK_CREATE, "uprobe_multi.path");
        static final U64 UPROBE_MULTI_OFFSETS = u64(LINK_CREATE, "uprobe_multi.offsets");
        static final U32 UPROBE_MULTI_CNT = u32(LINK_CREATE, "uprobe_multi.cnt");
        static final U32 UPROBE_MULTI_FLAGS = u32(LINK_CREATE, "uprobe_multi.flags");
        static final U32 UPROBE_MULTI_PID = u32(LINK_CREATE, "uprobe_multi.pid");
    }

    /** Fields of {@link #LINK_UPDATE} and {@link #LINK_DETACH}. */
    static final class LinkChange {
        static final U32 LINK_FD = u32(LINK_UPDATE, "link_fd");
        static final U32 NEW_PROG_FD = u32(LINK_UPDATE, "new_prog_fd");
        static final U32 DETACH_LINK_FD = u32(LINK_DETACH, "link_fd");
    }

    /** Fields of {@link #ENABLE_STATS}. */
    static final class EnableStats {
        static final U32 TYPE = u32(ENABLE_STATS, "type");
    }

    /** Fields of {@link #MAP_INFO}. */
    static final class MapInfoFields {
        static final U32 TYPE = u32(MAP_INFO, "type");
        static final U32 ID = u32(MAP_INFO, "id");
        static final U32 KEY_SIZE = u32(MAP_INFO, "key_size");
        static final U32 VALUE_SIZE = u32(MAP_INFO, "value_size");
        static final U32 MAX_ENTRIES = u32(MAP_INFO, "max_entries");
        static final U32 MAP_FLAGS = u32(MAP_INFO, "map_flags");
        static final Chars NAME = chars(MAP_INFO, "name");
        static final U64 HASH = u64(MAP_INFO, "hash");
        static final U32 HASH_SIZE = u32(MAP_INFO, "hash_size");
    }

    /** Fields of {@link #PROG_INFO}. */
    static final class ProgInfoFields {
        static final U32 TYPE = u32(PROG_INFO, "type");
        static final U32 ID = u32(PROG_INFO, "id");
        static final Chars TAG = chars(PROG_INFO, "tag");
        static final U32 NR_MAP_IDS = u32(PROG_INFO, "nr_map_ids");
        static final U64 MAP_IDS = u64(PROG_INFO, "map_ids");
        static final Chars NAME = chars(PROG_INFO, "name");
        static final U64 RUN_TIME_NS = u64(PROG_INFO, "run_time_ns");
        static final U64 RUN_CNT = u64(PROG_INFO, "run_cnt");
    }

    /** Fields of {@link #LINK_INFO}. */
    static final class LinkInfoFields {
        static final U32 TYPE = u32(LINK_INFO, "type");
        static final U32 ID = u32(LINK_INFO, "id");
        static final U32 PROG_ID = u32(LINK_INFO, "prog_id");
        static final U32 XDP_IFINDEX = u32(LINK_INFO, "xdp.ifindex");
        static final U32 TCX_IFINDEX = u32(LINK_INFO, "tcx.ifindex");
        static final U64 CGROUP_ID = u64(LINK_INFO, "cgroup.cgroup_id");
        static final U32 TRACING_TARGET_BTF_ID = u32(LINK_INFO, "tracing.target_btf_id");
        static final U32 NETNS_INO = u32(LINK_INFO, "netns.netns_ino");
    }

    /** Fields of {@link #PERF_EVENT_ATTR}. */
    static final class PerfEventAttrFields {
        static final U32 TYPE = u32(PERF_EVENT_ATTR, "type");
        static final U32 SIZE = u32(PERF_EVENT_ATTR, "size");
        static final U64 CONFIG = u64(PERF_EVENT_ATTR, "config");
        static final U64 CONFIG1 = u64(PERF_EVENT_ATTR, "config1");
        static final U64 CONFIG2 = u64(PERF_EVENT_ATTR, "config2");
    }

    private BpfAttr() {
    }
}
