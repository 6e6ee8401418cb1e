package dev.sigil.agent.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The real bridge: every bpf() command goes through {@link #bpf}, which builds nothing and interprets
 * nothing; the typed methods around it fill one {@link BpfAttr} layout each. Memory lives in a confined
 * arena per call, so nothing outlives the system call that needed it.
 */
public final class LinuxSyscallBridge implements SyscallBridge {
    private static final int MAX_MAP_IDS = 64;
    private static final int KEYCTL_INVALIDATE = 21;
    private static final String ADD_KEY = "add_key";
    private static final long CLONE_NEWNET = 0x40000000L;

    private final SyscallNumbers numbers;

    public LinuxSyscallBridge(SyscallNumbers numbers) {
        this.numbers = numbers;
    }

    /** The bridge for this machine's architecture. */
    public static LinuxSyscallBridge create() {
        return new LinuxSyscallBridge(SyscallNumbers.current());
    }

    /** The one entry point to bpf(2): the command, its attribute block, and what to say if it fails. */
    private long bpf(BpfCommand command, MemorySegment attr, String context) {
        Native.Result result = Native.syscall(numbers.bpf(), command.code(), attr.address(), attr.byteSize(), 0, 0);
        if (result.failed()) {
            throw new SyscallException(command.cName(), result.errno(), context);
        }
        return result.value();
    }

    private Fd bpfFd(BpfCommand command, MemorySegment attr, String context) {
        return Fd.ownNative((int) bpf(command, attr, context));
    }

    private static StructView attr(Arena arena, StructLayout layout) {
        return new StructView(arena.allocate(layout), layout);
    }

    private static MemorySegment bytes(Arena arena, byte[] data) {
        return data.length == 0 ? MemorySegment.NULL : arena.allocateFrom(JAVA_BYTE, data);
    }

    @Override
    public Fd mapCreate(MapCreateRequest request) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = attr(arena, BpfAttr.MAP_CREATE)
                    .u32("map_type", request.type().code())
                    .u32("key_size", request.keySize())
                    .u32("value_size", request.valueSize())
                    .u32("max_entries", request.maxEntries())
                    .u32("map_flags", request.flags())
                    .name("map_name", request.name());
            request.exclusiveProgramHash().ifPresent(hash -> attr
                    .address("excl_prog_hash", bytes(arena, hash))
                    .u32("excl_prog_hash_size", hash.length));
            return bpfFd(BpfCommand.MAP_CREATE, attr.segment(), "map " + request.name());
        }
    }

    @Override
    public Fd adopt(int number) {
        return Fd.ownNative(number);
    }

    @Override
    public LogBuffer logBuffer(int size) {
        return new NativeLogBuffer(size);
    }

    @Override
    public void mapUpdate(Fd map, byte[] key, byte[] value) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = attr(arena, BpfAttr.MAP_ELEM)
                    .u32("map_fd", map.number())
                    .address("key", bytes(arena, key))
                    .address("value", bytes(arena, value));
            bpf(BpfCommand.MAP_UPDATE_ELEM, attr.segment(), "map " + map);
        }
    }

    @Override
    public Optional<byte[]> mapLookup(Fd map, byte[] key, int valueSize) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(valueSize);
            StructView attr = attr(arena, BpfAttr.MAP_ELEM)
                    .u32("map_fd", map.number())
                    .address("key", bytes(arena, key))
                    .address("value", value);
            try {
                bpf(BpfCommand.MAP_LOOKUP_ELEM, attr.segment(), "map " + map);
            } catch (SyscallException e) {
                if (e.is(Errno.ENOENT)) {
                    return Optional.empty();
                }
                throw e;
            }
            return Optional.of(value.toArray(JAVA_BYTE));
        }
    }

    @Override
    public void mapFreeze(Fd map) {
        try (Arena arena = Arena.ofConfined()) {
            bpf(BpfCommand.MAP_FREEZE, attr(arena, BpfAttr.MAP_ELEM).u32("map_fd", map.number()).segment(),
                    "map " + map);
        }
    }

    private void objectInfo(Arena arena, Fd object, MemorySegment info) {
        StructView attr = attr(arena, BpfAttr.INFO)
                .u32("bpf_fd", object.number())
                .u32("info_len", (int) info.byteSize())
                .address("info", info);
        bpf(BpfCommand.OBJ_GET_INFO_BY_FD, attr.segment(), object.toString());
    }

    @Override
    public MapInfo mapInfo(Fd map, boolean computeHash) {
        try (Arena arena = Arena.ofConfined()) {
            StructView info = attr(arena, BpfAttr.MAP_INFO);
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

    @Override
    public ProgInfo progInfo(Fd program) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mapIds = arena.allocate(JAVA_INT, MAX_MAP_IDS);
            StructView info = attr(arena, BpfAttr.PROG_INFO)
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

    @Override
    public LinkInfo linkInfo(Fd link) {
        try (Arena arena = Arena.ofConfined()) {
            StructView info = attr(arena, BpfAttr.LINK_INFO);
            objectInfo(arena, link, info.segment());
            int type = info.u32("type");
            long target = LinkType.of(type).map(linkType -> switch (linkType) {
                case XDP -> Integer.toUnsignedLong(info.u32("xdp.ifindex"));
                case TCX -> Integer.toUnsignedLong(info.u32("tcx.ifindex"));
                case CGROUP -> info.u64("cgroup.cgroup_id");
                case TRACING -> Integer.toUnsignedLong(info.u32("tracing.target_btf_id"));
                case RAW_TRACEPOINT, KPROBE_MULTI -> 0L;
            }).orElse(0L);
            return new LinkInfo(type, info.u32("id"), info.u32("prog_id"), target);
        }
    }

    @Override
    public Fd progLoad(ProgLoadRequest request) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment log = request.logLevel() > 0 ? arena.allocate(request.logSize()) : MemorySegment.NULL;
            StructView attr = attr(arena, BpfAttr.PROG_LOAD)
                    .u32("prog_type", request.type().code())
                    .u32("insn_cnt", request.instructions().length / ProgLoadRequest.INSTRUCTION_SIZE)
                    .address("insns", bytes(arena, request.instructions()))
                    .address("license", arena.allocateFrom(request.license()))
                    .u32("prog_flags", request.flags())
                    .name("prog_name", request.name())
                    .u32("expected_attach_type", request.expectedAttachType())
                    .u32("attach_btf_id", request.attachBtfId());
            if (request.logLevel() > 0) {
                attr.u32("log_level", request.logLevel()).u32("log_size", request.logSize()).address("log_buf", log);
            }
            if (!request.fdArray().isEmpty()) {
                int[] fds = request.fdArray().stream().mapToInt(Fd::number).toArray();
                attr.address("fd_array", arena.allocateFrom(JAVA_INT, fds));
                if (request.countFdArray()) {
                    attr.u32("fd_array_cnt", fds.length);
                }
            }
            request.signature().ifPresent(signature -> attr
                    .address("signature", bytes(arena, signature.signature()))
                    .u32("signature_size", signature.signature().length)
                    .u32("keyring_id", signature.keyringId()));
            Native.Result result = Native.syscall(numbers.bpf(), BpfCommand.PROG_LOAD.code(),
                    attr.segment().address(), attr.segment().byteSize(), 0, 0);
            if (result.failed()) {
                String text = request.logLevel() > 0 ? log.getString(0, StandardCharsets.UTF_8) : "";
                throw new ProgramLoadException(result.errno(), request.name(), text);
            }
            return Fd.ownNative((int) result.value());
        }
    }

    @Override
    public ProgRunResult progRun(Fd program, byte[] context) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctx = bytes(arena, context);
            StructView attr = attr(arena, BpfAttr.PROG_RUN)
                    .u32("prog_fd", program.number())
                    .address("ctx_in", ctx)
                    .u32("ctx_size_in", context.length);
            bpf(BpfCommand.PROG_RUN, attr.segment(), "program " + program);
            byte[] after = context.length == 0 ? new byte[0] : ctx.toArray(JAVA_BYTE);
            return new ProgRunResult(attr.u32("retval"), after);
        }
    }

    @Override
    public Fd linkCreate(Fd program, int target, BpfAttachType attachType, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = attr(arena, BpfAttr.LINK_CREATE)
                    .u32("prog_fd", program.number())
                    .u32("target_fd", target)
                    .u32("attach_type", attachType.code())
                    .u32("flags", flags);
            return bpfFd(BpfCommand.LINK_CREATE, attr.segment(), attachType + " target " + target);
        }
    }

    @Override
    public Fd kprobeMultiLinkCreate(Fd program, List<String> functions) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment symbols = arena.allocate(JAVA_LONG, functions.size());
            for (int i = 0; i < functions.size(); i++) {
                symbols.setAtIndex(JAVA_LONG, i, arena.allocateFrom(functions.get(i)).address());
            }
            StructView attr = attr(arena, BpfAttr.LINK_CREATE)
                    .u32("prog_fd", program.number())
                    .u32("attach_type", BpfAttachType.TRACE_KPROBE_MULTI.code())
                    .u32("kprobe_multi.cnt", functions.size())
                    .address("kprobe_multi.syms", symbols);
            return bpfFd(BpfCommand.LINK_CREATE, attr.segment(), "kprobe_multi " + functions);
        }
    }

    @Override
    public void linkUpdate(Fd link, Fd newProgram) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = attr(arena, BpfAttr.LINK_UPDATE)
                    .u32("link_fd", link.number())
                    .u32("new_prog_fd", newProgram.number());
            bpf(BpfCommand.LINK_UPDATE, attr.segment(), "link " + link);
        }
    }

    @Override
    public Fd rawTracepointOpen(Optional<String> tracepoint, Fd program) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = attr(arena, BpfAttr.RAW_TRACEPOINT_OPEN).u32("prog_fd", program.number());
            tracepoint.ifPresent(name -> attr.address("name", arena.allocateFrom(name)));
            return bpfFd(BpfCommand.RAW_TRACEPOINT_OPEN, attr.segment(), "tracepoint " + tracepoint.orElse("(btf)"));
        }
    }

    @Override
    public void objPin(Fd object, Path path) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = attr(arena, BpfAttr.OBJ)
                    .address("pathname", arena.allocateFrom(path.toString()))
                    .u32("bpf_fd", object.number());
            bpf(BpfCommand.OBJ_PIN, attr.segment(), path.toString());
        }
    }

    @Override
    public Fd objGet(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = attr(arena, BpfAttr.OBJ).address("pathname", arena.allocateFrom(path.toString()));
            return bpfFd(BpfCommand.OBJ_GET, attr.segment(), path.toString());
        }
    }

    @Override
    public void linkDetach(Fd link) {
        try (Arena arena = Arena.ofConfined()) {
            bpf(BpfCommand.LINK_DETACH, attr(arena, BpfAttr.LINK_DETACH).u32("link_fd", link.number()).segment(),
                    "link " + link);
        }
    }

    @Override
    public Optional<Fd> fdById(ObjectKind kind, int id) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = attr(arena, BpfAttr.GET_ID).u32(kind.idField(), id);
            return Optional.of(bpfFd(kind.fdByIdCommand(), attr.segment(), kind.idField() + " " + id));
        } catch (SyscallException e) {
            if (e.is(Errno.ENOENT)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public OptionalInt nextId(ObjectKind kind, int startId) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = attr(arena, BpfAttr.GET_ID).u32("start_id", startId);
            try {
                bpf(kind.nextIdCommand(), attr.segment(), "after id " + startId);
            } catch (SyscallException e) {
                if (e.is(Errno.ENOENT)) {
                    return OptionalInt.empty();
                }
                throw e;
            }
            return OptionalInt.of(attr.u32("next_id"));
        }
    }

    @Override
    public int addKey(String type, String description, byte[] payload, int destinationKeyring) {
        try (Arena arena = Arena.ofConfined()) {
            Native.Result result = Native.syscall(numbers.addKey(), arena.allocateFrom(type).address(),
                    arena.allocateFrom(description).address(), bytes(arena, payload).address(), payload.length,
                    destinationKeyring);
            if (result.failed()) {
                throw new SyscallException(ADD_KEY, result.errno(), type + " key '" + description + "'");
            }
            return (int) result.value();
        }
    }

    @Override
    public void invalidateKey(int serial) {
        Native.Result result = Native.syscall(numbers.keyctl(), KEYCTL_INVALIDATE, serial, 0, 0, 0);
        if (result.failed()) {
            throw new SyscallException("keyctl(KEYCTL_INVALIDATE)", result.errno(), "key " + serial);
        }
    }

    @Override
    public int interfaceIndex(String interfaceName) {
        Native.Result result = Native.interfaceIndex(interfaceName);
        if (result.failed()) {
            throw new SyscallException("if_nametoindex", result.errno(), "interface " + interfaceName);
        }
        return (int) result.value();
    }

    @Override
    public Fd openDirectory(Path directory) {
        return open(directory, Native.O_DIRECTORY, directory.toString());
    }

    /** open(2) read-only, never inherited by a child process. */
    private static Fd open(Path path, int flags, String context) {
        Native.Result result = Native.open(path.toString(), Native.O_RDONLY | Native.O_CLOEXEC | flags);
        if (result.failed()) {
            throw new SyscallException("open", result.errno(), context);
        }
        return Fd.ownNative((int) result.value());
    }

    @Override
    public void mountBpffs(Path target) {
        Native.Result result = Native.mount("bpf", target.toString(), "bpf");
        if (result.failed()) {
            throw new SyscallException("mount", result.errno(), "bpffs on " + target);
        }
    }

    @Override
    public void unshareNetworkNamespace() {
        Native.Result result = Native.syscall(numbers.unshare(), CLONE_NEWNET, 0, 0, 0, 0);
        if (result.failed()) {
            throw new SyscallException("unshare(CLONE_NEWNET)", result.errno(), "");
        }
    }

    @Override
    public void enterNetworkNamespace(Path namespace) {
        try (Fd fd = open(namespace, 0, "network namespace " + namespace)) {
            Native.Result result = Native.syscall(numbers.setns(), fd.number(), CLONE_NEWNET, 0, 0, 0);
            if (result.failed()) {
                throw new SyscallException("setns(CLONE_NEWNET)", result.errno(), "network namespace " + namespace);
            }
        }
    }
}
