package dev.sigil.bpf.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.sigil.bpf.sys.BpfAttrFields.GetId;
import dev.sigil.bpf.sys.BpfAttrFields.Info;
import dev.sigil.bpf.sys.BpfAttrFields.LinkInfoFields;
import dev.sigil.bpf.sys.BpfAttrFields.MapElem;
import dev.sigil.bpf.sys.BpfAttrFields.MapInfoFields;
import dev.sigil.bpf.sys.BpfAttrFields.ProgInfoFields;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The real bridge's commands on objects that exist: map elements, their info by fd, an fd by id, the next id. */
final class LinuxObjects {
    private static final int MAX_MAP_IDS = 64;

    private final BpfSyscall bpf;

    LinuxObjects(BpfSyscall bpf) {
        this.bpf = bpf;
    }

    private void objectInfo(CallMemory memory, Fd object, MemorySegment info) {
        MemorySegment attr = memory.allocate(BpfAttr.INFO);
        Info.BPF_FD.set(attr, object.number());
        Info.INFO_LEN.set(attr, (int) info.byteSize());
        Info.INFO_ADDRESS.address(attr, info);
        bpf.call(BpfCommand.OBJ_GET_INFO_BY_FD, attr, object::toString);
    }

    void mapUpdate(Fd map, byte[] key, byte[] value) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment attr = memory.allocate(BpfAttr.MAP_ELEM);
            MapElem.MAP_FD.set(attr, map.number());
            MapElem.KEY.address(attr, memory.copy(key));
            MapElem.VALUE.address(attr, memory.copy(value));
            bpf.call(BpfCommand.MAP_UPDATE_ELEM, attr, () -> "map " + map);
        }
    }

    Optional<byte[]> mapLookup(Fd map, byte[] key, int valueSize) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment value = memory.allocate(valueSize);
            MemorySegment attr = memory.allocate(BpfAttr.MAP_ELEM);
            MapElem.MAP_FD.set(attr, map.number());
            MapElem.KEY.address(attr, memory.copy(key));
            MapElem.VALUE.address(attr, value);
            try {
                bpf.call(BpfCommand.MAP_LOOKUP_ELEM, attr, () -> "map " + map);
            } catch (SyscallException e) {
                if (e.is(Errno.ENOENT)) {
                    return Optional.empty();
                }
                throw e;
            }
            return Optional.of(value.toArray(JAVA_BYTE));
        }
    }

    void mapFreeze(Fd map) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment attr = memory.allocate(BpfAttr.MAP_ELEM);
            MapElem.MAP_FD.set(attr, map.number());
            bpf.call(BpfCommand.MAP_FREEZE, attr, () -> "map " + map);
        }
    }

    MapInfo mapInfo(Fd map, boolean computeHash) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment info = memory.allocate(BpfAttr.MAP_INFO);
            MemorySegment hash = computeHash ? memory.allocate(MapInfo.HASH_SIZE) : MemorySegment.NULL;
            if (computeHash) {
                MapInfoFields.HASH.address(info, hash);
                MapInfoFields.HASH_SIZE.set(info, MapInfo.HASH_SIZE);
            }
            objectInfo(memory, map, info);
            return new MapInfo(MapInfoFields.TYPE.get(info), MapInfoFields.ID.get(info), MapInfoFields.KEY_SIZE.get(info),
                    MapInfoFields.VALUE_SIZE.get(info), MapInfoFields.MAX_ENTRIES.get(info),
                    MapInfoFields.MAP_FLAGS.get(info), MapInfoFields.NAME.string(info),
                    computeHash ? Optional.of(hash.toArray(JAVA_BYTE)) : Optional.empty());
        }
    }

    ProgInfo progInfo(Fd program) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment mapIds = memory.allocate(JAVA_INT.byteSize() * MAX_MAP_IDS);
            MemorySegment info = memory.allocate(BpfAttr.PROG_INFO);
            ProgInfoFields.NR_MAP_IDS.set(info, MAX_MAP_IDS);
            ProgInfoFields.MAP_IDS.address(info, mapIds);
            objectInfo(memory, program, info);
            int count = Math.min(ProgInfoFields.NR_MAP_IDS.get(info), MAX_MAP_IDS);
            List<Integer> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ids.add(mapIds.getAtIndex(JAVA_INT, i));
            }
            return new ProgInfo(ProgInfoFields.TYPE.get(info), ProgInfoFields.ID.get(info),
                    HexFormat.of().formatHex(ProgInfoFields.TAG.bytes(info)), ProgInfoFields.NAME.string(info), ids,
                    ProgInfoFields.RUN_CNT.get(info), ProgInfoFields.RUN_TIME_NS.get(info));
        }
    }

    LinkInfo linkInfo(Fd link) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment info = memory.allocate(BpfAttr.LINK_INFO);
            objectInfo(memory, link, info);
            int type = LinkInfoFields.TYPE.get(info);
            long target = LinkType.of(type).map(linkType -> switch (linkType) {
                case XDP -> Integer.toUnsignedLong(LinkInfoFields.XDP_IFINDEX.get(info));
                case TCX -> Integer.toUnsignedLong(LinkInfoFields.TCX_IFINDEX.get(info));
                case CGROUP -> LinkInfoFields.CGROUP_ID.get(info);
                case TRACING -> Integer.toUnsignedLong(LinkInfoFields.TRACING_TARGET_BTF_ID.get(info));
                case NETNS -> Integer.toUnsignedLong(LinkInfoFields.NETNS_INO.get(info));
                case RAW_TRACEPOINT, KPROBE_MULTI, PERF_EVENT, UPROBE_MULTI -> 0L;
            }).orElse(0L);
            return new LinkInfo(type, LinkInfoFields.ID.get(info), LinkInfoFields.PROG_ID.get(info), target);
        }
    }

    Optional<Fd> fdById(ObjectKind kind, int id) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment attr = memory.allocate(BpfAttr.GET_ID);
            kind.idField().set(attr, id);
            return Optional.of(bpf.callForFd(kind.fdByIdCommand(), attr, () -> kind.idField().path() + " " + id));
        } catch (SyscallException e) {
            if (e.is(Errno.ENOENT)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    OptionalInt nextId(ObjectKind kind, int startId) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment attr = memory.allocate(BpfAttr.GET_ID);
            GetId.START_ID.set(attr, startId);
            try {
                bpf.call(kind.nextIdCommand(), attr, () -> "after id " + startId);
            } catch (SyscallException e) {
                if (e.is(Errno.ENOENT)) {
                    return OptionalInt.empty();
                }
                throw e;
            }
            return OptionalInt.of(GetId.NEXT_ID.get(attr));
        }
    }
}
