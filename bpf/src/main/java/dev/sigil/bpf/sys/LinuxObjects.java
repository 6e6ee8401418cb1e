package dev.sigil.bpf.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The real bridge's queries about objects that exist: their info by fd, an fd by id, the next id. */
final class LinuxObjects {
    private static final int MAX_MAP_IDS = 64;

    private final BpfSyscall bpf;

    LinuxObjects(BpfSyscall bpf) {
        this.bpf = bpf;
    }

    private void objectInfo(Arena arena, Fd object, MemorySegment info) {
        StructView attr = BpfSyscall.attr(arena, BpfAttr.INFO)
                .u32("bpf_fd", object.number())
                .u32("info_len", (int) info.byteSize())
                .address("info", info);
        bpf.call(BpfCommand.OBJ_GET_INFO_BY_FD, attr.segment(), object.toString());
    }

    MapInfo mapInfo(Fd map, boolean computeHash) {
        try (Arena arena = Arena.ofConfined()) {
            StructView info = BpfSyscall.attr(arena, BpfAttr.MAP_INFO);
            MemorySegment hash = computeHash ? arena.allocate(MapInfo.HASH_SIZE) : MemorySegment.NULL;
            if (computeHash) {
                info.address("hash", hash).u32("hash_size", MapInfo.HASH_SIZE);
            }
            objectInfo(arena, map, info.segment());
            return new MapInfo(info.u32("type"), info.u32("id"), info.u32("key_size"), info.u32("value_size"),
                    info.u32("max_entries"), info.u32("map_flags"), info.string("name"),
                    computeHash ? Optional.of(hash.toArray(JAVA_BYTE)) : Optional.empty());
        }
    }

    ProgInfo progInfo(Fd program) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mapIds = arena.allocate(JAVA_INT, MAX_MAP_IDS);
            StructView info = BpfSyscall.attr(arena, BpfAttr.PROG_INFO)
                    .u32("nr_map_ids", MAX_MAP_IDS)
                    .address("map_ids", mapIds);
            objectInfo(arena, program, info.segment());
            int count = Math.min(info.u32("nr_map_ids"), MAX_MAP_IDS);
            List<Integer> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ids.add(mapIds.getAtIndex(JAVA_INT, i));
            }
            return new ProgInfo(info.u32("type"), info.u32("id"), HexFormat.of().formatHex(info.bytes("tag")),
                    info.string("name"), ids);
        }
    }

    LinkInfo linkInfo(Fd link) {
        try (Arena arena = Arena.ofConfined()) {
            StructView info = BpfSyscall.attr(arena, BpfAttr.LINK_INFO);
            objectInfo(arena, link, info.segment());
            int type = info.u32("type");
            long target = LinkType.of(type).map(linkType -> switch (linkType) {
                case XDP -> Integer.toUnsignedLong(info.u32("xdp.ifindex"));
                case TCX -> Integer.toUnsignedLong(info.u32("tcx.ifindex"));
                case CGROUP -> info.u64("cgroup.cgroup_id");
                case TRACING -> Integer.toUnsignedLong(info.u32("tracing.target_btf_id"));
                case NETNS -> Integer.toUnsignedLong(info.u32("netns.netns_ino"));
                case RAW_TRACEPOINT, KPROBE_MULTI, PERF_EVENT, UPROBE_MULTI -> 0L;
            }).orElse(0L);
            return new LinkInfo(type, info.u32("id"), info.u32("prog_id"), target);
        }
    }

    Optional<Fd> fdById(ObjectKind kind, int id) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = BpfSyscall.attr(arena, BpfAttr.GET_ID).u32(kind.idField(), id);
            return Optional.of(bpf.callForFd(kind.fdByIdCommand(), attr.segment(), kind.idField() + " " + id));
        } catch (SyscallException e) {
            if (e.is(Errno.ENOENT)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    OptionalInt nextId(ObjectKind kind, int startId) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = BpfSyscall.attr(arena, BpfAttr.GET_ID).u32("start_id", startId);
            try {
                bpf.call(kind.nextIdCommand(), attr.segment(), "after id " + startId);
            } catch (SyscallException e) {
                if (e.is(Errno.ENOENT)) {
                    return OptionalInt.empty();
                }
                throw e;
            }
            return OptionalInt.of(attr.u32("next_id"));
        }
    }
}
