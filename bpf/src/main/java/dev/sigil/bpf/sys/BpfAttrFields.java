package dev.sigil.bpf.sys;

import static dev.sigil.bpf.sys.AttrField.chars;
import static dev.sigil.bpf.sys.AttrField.u32;
import static dev.sigil.bpf.sys.AttrField.u64;

import dev.sigil.bpf.sys.AttrField.Chars;
import dev.sigil.bpf.sys.AttrField.U32;
import dev.sigil.bpf.sys.AttrField.U64;

/**
 * The fields of {@link BpfAttr}'s layouts that the bridge reads and writes, located once by their C names, one
 * nested class per layout; the layouts themselves, and so every offset, stay in {@link BpfAttr}.
 */
final class BpfAttrFields {
    private BpfAttrFields() {
    }

    /** Fields of {@link BpfAttr#MAP_CREATE}. */
    static final class MapCreate {
        static final U32 MAP_TYPE = u32(BpfAttr.MAP_CREATE, "map_type");
        static final U32 KEY_SIZE = u32(BpfAttr.MAP_CREATE, "key_size");
        static final U32 VALUE_SIZE = u32(BpfAttr.MAP_CREATE, "value_size");
        static final U32 MAX_ENTRIES = u32(BpfAttr.MAP_CREATE, "max_entries");
        static final U32 MAP_FLAGS = u32(BpfAttr.MAP_CREATE, "map_flags");
        static final Chars MAP_NAME = chars(BpfAttr.MAP_CREATE, "map_name");
        static final U64 EXCL_PROG_HASH = u64(BpfAttr.MAP_CREATE, "excl_prog_hash");
        static final U32 EXCL_PROG_HASH_SIZE = u32(BpfAttr.MAP_CREATE, "excl_prog_hash_size");
    }

    /** Fields of {@link BpfAttr#MAP_ELEM}. */
    static final class MapElem {
        static final U32 MAP_FD = u32(BpfAttr.MAP_ELEM, "map_fd");
        static final U64 KEY = u64(BpfAttr.MAP_ELEM, "key");
        static final U64 VALUE = u64(BpfAttr.MAP_ELEM, "value");
    }

    /** Fields of {@link BpfAttr#PROG_LOAD}. */
    static final class ProgLoad {
        static final U32 PROG_TYPE = u32(BpfAttr.PROG_LOAD, "prog_type");
        static final U32 INSN_CNT = u32(BpfAttr.PROG_LOAD, "insn_cnt");
        static final U64 INSNS = u64(BpfAttr.PROG_LOAD, "insns");
        static final U64 LICENSE = u64(BpfAttr.PROG_LOAD, "license");
        static final U32 LOG_LEVEL = u32(BpfAttr.PROG_LOAD, "log_level");
        static final U32 LOG_SIZE = u32(BpfAttr.PROG_LOAD, "log_size");
        static final U64 LOG_BUF = u64(BpfAttr.PROG_LOAD, "log_buf");
        static final U32 PROG_FLAGS = u32(BpfAttr.PROG_LOAD, "prog_flags");
        static final Chars PROG_NAME = chars(BpfAttr.PROG_LOAD, "prog_name");
        static final U32 EXPECTED_ATTACH_TYPE = u32(BpfAttr.PROG_LOAD, "expected_attach_type");
        static final U32 ATTACH_BTF_ID = u32(BpfAttr.PROG_LOAD, "attach_btf_id");
        static final U64 FD_ARRAY = u64(BpfAttr.PROG_LOAD, "fd_array");
        static final U32 FD_ARRAY_CNT = u32(BpfAttr.PROG_LOAD, "fd_array_cnt");
        static final U64 SIGNATURE = u64(BpfAttr.PROG_LOAD, "signature");
        static final U32 SIGNATURE_SIZE = u32(BpfAttr.PROG_LOAD, "signature_size");
        static final U32 KEYRING_ID = u32(BpfAttr.PROG_LOAD, "keyring_id");
    }

    /** Fields of {@link BpfAttr#OBJ}. */
    static final class Obj {
        static final U64 PATHNAME = u64(BpfAttr.OBJ, "pathname");
        static final U32 BPF_FD = u32(BpfAttr.OBJ, "bpf_fd");
    }

    /** Fields of {@link BpfAttr#PROG_RUN}. */
    static final class ProgRun {
        static final U32 PROG_FD = u32(BpfAttr.PROG_RUN, "prog_fd");
        static final U32 RETVAL = u32(BpfAttr.PROG_RUN, "retval");
        static final U32 CTX_SIZE_IN = u32(BpfAttr.PROG_RUN, "ctx_size_in");
        static final U64 CTX_IN = u64(BpfAttr.PROG_RUN, "ctx_in");
    }

    /** Fields of {@link BpfAttr#GET_ID}. */
    static final class GetId {
        static final U32 START_ID = u32(BpfAttr.GET_ID, "start_id");
        static final U32 PROG_ID = u32(BpfAttr.GET_ID, "prog_id");
        static final U32 MAP_ID = u32(BpfAttr.GET_ID, "map_id");
        static final U32 LINK_ID = u32(BpfAttr.GET_ID, "link_id");
        static final U32 NEXT_ID = u32(BpfAttr.GET_ID, "next_id");
    }

    /** Fields of {@link BpfAttr#INFO}. */
    static final class Info {
        static final U32 BPF_FD = u32(BpfAttr.INFO, "bpf_fd");
        static final U32 INFO_LEN = u32(BpfAttr.INFO, "info_len");
        static final U64 INFO_ADDRESS = u64(BpfAttr.INFO, "info");
    }

    /** Fields of {@link BpfAttr#RAW_TRACEPOINT_OPEN}. */
    static final class RawTracepointOpen {
        static final U64 NAME = u64(BpfAttr.RAW_TRACEPOINT_OPEN, "name");
        static final U32 PROG_FD = u32(BpfAttr.RAW_TRACEPOINT_OPEN, "prog_fd");
    }

    /** Fields of {@link BpfAttr#LINK_CREATE}. */
    static final class LinkCreate {
        static final U32 PROG_FD = u32(BpfAttr.LINK_CREATE, "prog_fd");
        static final U32 TARGET_FD = u32(BpfAttr.LINK_CREATE, "target_fd");
        static final U32 ATTACH_TYPE = u32(BpfAttr.LINK_CREATE, "attach_type");
        static final U32 FLAGS = u32(BpfAttr.LINK_CREATE, "flags");
        static final U32 KPROBE_MULTI_CNT = u32(BpfAttr.LINK_CREATE, "kprobe_multi.cnt");
        static final U64 KPROBE_MULTI_SYMS = u64(BpfAttr.LINK_CREATE, "kprobe_multi.syms");
        static final U64 UPROBE_MULTI_PATH = u64(BpfAttr.LINK_CREATE, "uprobe_multi.path");
        static final U64 UPROBE_MULTI_OFFSETS = u64(BpfAttr.LINK_CREATE, "uprobe_multi.offsets");
        static final U32 UPROBE_MULTI_CNT = u32(BpfAttr.LINK_CREATE, "uprobe_multi.cnt");
        static final U32 UPROBE_MULTI_FLAGS = u32(BpfAttr.LINK_CREATE, "uprobe_multi.flags");
        static final U32 UPROBE_MULTI_PID = u32(BpfAttr.LINK_CREATE, "uprobe_multi.pid");
    }

    /** Fields of {@link BpfAttr#LINK_UPDATE} and {@link BpfAttr#LINK_DETACH}. */
    static final class LinkChange {
        static final U32 LINK_FD = u32(BpfAttr.LINK_UPDATE, "link_fd");
        static final U32 NEW_PROG_FD = u32(BpfAttr.LINK_UPDATE, "new_prog_fd");
        static final U32 DETACH_LINK_FD = u32(BpfAttr.LINK_DETACH, "link_fd");
    }

    /** Fields of {@link BpfAttr#ENABLE_STATS}. */
    static final class EnableStats {
        static final U32 TYPE = u32(BpfAttr.ENABLE_STATS, "type");
    }

    /** Fields of {@link BpfAttr#MAP_INFO}. */
    static final class MapInfoFields {
        static final U32 TYPE = u32(BpfAttr.MAP_INFO, "type");
        static final U32 ID = u32(BpfAttr.MAP_INFO, "id");
        static final U32 KEY_SIZE = u32(BpfAttr.MAP_INFO, "key_size");
        static final U32 VALUE_SIZE = u32(BpfAttr.MAP_INFO, "value_size");
        static final U32 MAX_ENTRIES = u32(BpfAttr.MAP_INFO, "max_entries");
        static final U32 MAP_FLAGS = u32(BpfAttr.MAP_INFO, "map_flags");
        static final Chars NAME = chars(BpfAttr.MAP_INFO, "name");
        static final U64 HASH = u64(BpfAttr.MAP_INFO, "hash");
        static final U32 HASH_SIZE = u32(BpfAttr.MAP_INFO, "hash_size");
    }

    /** Fields of {@link BpfAttr#PROG_INFO}. */
    static final class ProgInfoFields {
        static final U32 TYPE = u32(BpfAttr.PROG_INFO, "type");
        static final U32 ID = u32(BpfAttr.PROG_INFO, "id");
        static final Chars TAG = chars(BpfAttr.PROG_INFO, "tag");
        static final U32 NR_MAP_IDS = u32(BpfAttr.PROG_INFO, "nr_map_ids");
        static final U64 MAP_IDS = u64(BpfAttr.PROG_INFO, "map_ids");
        static final Chars NAME = chars(BpfAttr.PROG_INFO, "name");
        static final U64 RUN_TIME_NS = u64(BpfAttr.PROG_INFO, "run_time_ns");
        static final U64 RUN_CNT = u64(BpfAttr.PROG_INFO, "run_cnt");
    }

    /** Fields of {@link BpfAttr#LINK_INFO}. */
    static final class LinkInfoFields {
        static final U32 TYPE = u32(BpfAttr.LINK_INFO, "type");
        static final U32 ID = u32(BpfAttr.LINK_INFO, "id");
        static final U32 PROG_ID = u32(BpfAttr.LINK_INFO, "prog_id");
        static final U32 XDP_IFINDEX = u32(BpfAttr.LINK_INFO, "xdp.ifindex");
        static final U32 TCX_IFINDEX = u32(BpfAttr.LINK_INFO, "tcx.ifindex");
        static final U64 CGROUP_ID = u64(BpfAttr.LINK_INFO, "cgroup.cgroup_id");
        static final U32 TRACING_TARGET_BTF_ID = u32(BpfAttr.LINK_INFO, "tracing.target_btf_id");
        static final U32 NETNS_INO = u32(BpfAttr.LINK_INFO, "netns.netns_ino");
    }

    /** Fields of {@link BpfAttr#PERF_EVENT_ATTR}. */
    static final class PerfEventAttrFields {
        static final U32 TYPE = u32(BpfAttr.PERF_EVENT_ATTR, "type");
        static final U32 SIZE = u32(BpfAttr.PERF_EVENT_ATTR, "size");
        static final U64 CONFIG = u64(BpfAttr.PERF_EVENT_ATTR, "config");
        static final U64 CONFIG1 = u64(BpfAttr.PERF_EVENT_ATTR, "config1");
        static final U64 CONFIG2 = u64(BpfAttr.PERF_EVENT_ATTR, "config2");
    }
}
