package dev.sigil.bpf.sys;

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
 * The real bridge: every bpf() command goes through one entry point ({@link BpfSyscall}), which builds
 * nothing and interprets nothing; the typed methods around it fill one {@link BpfAttr} layout each (queries
 * about existing objects in {@link LinuxObjects}, the calls that are not bpf() in {@link LinuxProcessCalls}).
 * Memory lives in a confined arena per call, so nothing outlives the system call that needed it.
 */
public final class LinuxSyscallBridge implements SyscallBridge {
    /** {@code BPF_F_UPROBE_MULTI_RETURN}: the uprobe_multi link fires on return. */
    private static final int UPROBE_MULTI_RETURN = 1;

    private final BpfSyscall bpf;
    private final LinuxObjects objects;
    private final LinuxProcessCalls process;

    public LinuxSyscallBridge(SyscallNumbers numbers) {
        this.bpf = new BpfSyscall(numbers);
        this.objects = new LinuxObjects(bpf);
        this.process = new LinuxProcessCalls(numbers);
    }

    /** The bridge for this machine's architecture. */
    public static LinuxSyscallBridge create() {
        return new LinuxSyscallBridge(SyscallNumbers.current());
    }

    @Override
    public Fd mapCreate(MapCreateRequest request) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = BpfSyscall.attr(arena, BpfAttr.MAP_CREATE)
                    .u32("map_type", request.type().code())
                    .u32("key_size", request.keySize())
                    .u32("value_size", request.valueSize())
                    .u32("max_entries", request.maxEntries())
                    .u32("map_flags", request.flags())
                    .name("map_name", request.name());
            request.exclusiveProgramHash().ifPresent(hash -> attr
                    .address("excl_prog_hash", BpfSyscall.bytes(arena, hash))
                    .u32("excl_prog_hash_size", hash.length));
            return bpf.callForFd(BpfCommand.MAP_CREATE, attr.segment(), "map " + request.name());
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
            StructView attr = BpfSyscall.attr(arena, BpfAttr.MAP_ELEM)
                    .u32("map_fd", map.number())
                    .address("key", BpfSyscall.bytes(arena, key))
                    .address("value", BpfSyscall.bytes(arena, value));
            bpf.call(BpfCommand.MAP_UPDATE_ELEM, attr.segment(), "map " + map);
        }
    }

    @Override
    public Optional<byte[]> mapLookup(Fd map, byte[] key, int valueSize) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(valueSize);
            StructView attr = BpfSyscall.attr(arena, BpfAttr.MAP_ELEM)
                    .u32("map_fd", map.number())
                    .address("key", BpfSyscall.bytes(arena, key))
                    .address("value", value);
            try {
                bpf.call(BpfCommand.MAP_LOOKUP_ELEM, attr.segment(), "map " + map);
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
            bpf.call(BpfCommand.MAP_FREEZE, BpfSyscall.attr(arena, BpfAttr.MAP_ELEM).u32("map_fd", map.number()).segment(),
                    "map " + map);
        }
    }

    @Override
    public MapInfo mapInfo(Fd map, boolean computeHash) {
        return objects.mapInfo(map, computeHash);
    }

    @Override
    public ProgInfo progInfo(Fd program) {
        return objects.progInfo(program);
    }

    @Override
    public LinkInfo linkInfo(Fd link) {
        return objects.linkInfo(link);
    }

    @Override
    public Optional<Fd> fdById(ObjectKind kind, int id) {
        return objects.fdById(kind, id);
    }

    @Override
    public OptionalInt nextId(ObjectKind kind, int startId) {
        return objects.nextId(kind, startId);
    }

    @Override
    public Fd progLoad(ProgLoadRequest request) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment log = request.logLevel() > 0 ? arena.allocate(request.logSize()) : MemorySegment.NULL;
            StructView attr = BpfSyscall.attr(arena, BpfAttr.PROG_LOAD)
                    .u32("prog_type", request.type().code())
                    .u32("insn_cnt", request.instructions().length / ProgLoadRequest.INSTRUCTION_SIZE)
                    .address("insns", BpfSyscall.bytes(arena, request.instructions()))
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
                    .address("signature", BpfSyscall.bytes(arena, signature.signature()))
                    .u32("signature_size", signature.signature().length)
                    .u32("keyring_id", signature.keyringId()));
            Native.Result result = bpf.attempt(BpfCommand.PROG_LOAD, attr.segment());
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
            MemorySegment ctx = BpfSyscall.bytes(arena, context);
            StructView attr = BpfSyscall.attr(arena, BpfAttr.PROG_RUN)
                    .u32("prog_fd", program.number())
                    .address("ctx_in", ctx)
                    .u32("ctx_size_in", context.length);
            bpf.call(BpfCommand.PROG_RUN, attr.segment(), "program " + program);
            byte[] after = context.length == 0 ? new byte[0] : ctx.toArray(JAVA_BYTE);
            return new ProgRunResult(attr.u32("retval"), after);
        }
    }

    @Override
    public Fd linkCreate(Fd program, int target, BpfAttachType attachType, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = BpfSyscall.attr(arena, BpfAttr.LINK_CREATE)
                    .u32("prog_fd", program.number())
                    .u32("target_fd", target)
                    .u32("attach_type", attachType.code())
                    .u32("flags", flags);
            return bpf.callForFd(BpfCommand.LINK_CREATE, attr.segment(), attachType + " target " + target);
        }
    }

    @Override
    public Fd kprobeMultiLinkCreate(Fd program, List<String> functions) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment symbols = arena.allocate(JAVA_LONG, functions.size());
            for (int i = 0; i < functions.size(); i++) {
                symbols.setAtIndex(JAVA_LONG, i, arena.allocateFrom(functions.get(i)).address());
            }
            StructView attr = BpfSyscall.attr(arena, BpfAttr.LINK_CREATE)
                    .u32("prog_fd", program.number())
                    .u32("attach_type", BpfAttachType.TRACE_KPROBE_MULTI.code())
                    .u32("kprobe_multi.cnt", functions.size())
                    .address("kprobe_multi.syms", symbols);
            return bpf.callForFd(BpfCommand.LINK_CREATE, attr.segment(), "kprobe_multi " + functions);
        }
    }

    @Override
    public Fd uprobeMultiLinkCreate(Fd program, Path binary, List<Long> offsets, boolean retprobe, OptionalInt pid) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = BpfSyscall.attr(arena, BpfAttr.LINK_CREATE)
                    .u32("prog_fd", program.number())
                    .u32("attach_type", BpfAttachType.TRACE_UPROBE_MULTI.code())
                    .address("uprobe_multi.path", arena.allocateFrom(binary.toString()))
                    .address("uprobe_multi.offsets", arena.allocateFrom(JAVA_LONG,
                            offsets.stream().mapToLong(Long::longValue).toArray()))
                    .u32("uprobe_multi.cnt", offsets.size())
                    .u32("uprobe_multi.flags", retprobe ? UPROBE_MULTI_RETURN : 0)
                    .u32("uprobe_multi.pid", pid.orElse(0));
            return bpf.callForFd(BpfCommand.LINK_CREATE, attr.segment(), "uprobe_multi " + binary + " offsets " + offsets);
        }
    }

    @Override
    public Fd perfEventOpen(PerfEventRequest request) {
        return process.perfEventOpen(request);
    }

    @Override
    public void linkUpdate(Fd link, Fd newProgram) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = BpfSyscall.attr(arena, BpfAttr.LINK_UPDATE)
                    .u32("link_fd", link.number())
                    .u32("new_prog_fd", newProgram.number());
            bpf.call(BpfCommand.LINK_UPDATE, attr.segment(), "link " + link);
        }
    }

    @Override
    public Fd rawTracepointOpen(Optional<String> tracepoint, Fd program) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = BpfSyscall.attr(arena, BpfAttr.RAW_TRACEPOINT_OPEN).u32("prog_fd", program.number());
            tracepoint.ifPresent(name -> attr.address("name", arena.allocateFrom(name)));
            return bpf.callForFd(BpfCommand.RAW_TRACEPOINT_OPEN, attr.segment(), "tracepoint " + tracepoint.orElse("(btf)"));
        }
    }

    @Override
    public void objPin(Fd object, Path path) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = BpfSyscall.attr(arena, BpfAttr.OBJ)
                    .address("pathname", arena.allocateFrom(path.toString()))
                    .u32("bpf_fd", object.number());
            bpf.call(BpfCommand.OBJ_PIN, attr.segment(), path.toString());
        }
    }

    @Override
    public Fd objGet(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = BpfSyscall.attr(arena, BpfAttr.OBJ).address("pathname", arena.allocateFrom(path.toString()));
            return bpf.callForFd(BpfCommand.OBJ_GET, attr.segment(), path.toString());
        }
    }

    @Override
    public void linkDetach(Fd link) {
        try (Arena arena = Arena.ofConfined()) {
            bpf.call(BpfCommand.LINK_DETACH, BpfSyscall.attr(arena, BpfAttr.LINK_DETACH).u32("link_fd", link.number()).segment(),
                    "link " + link);
        }
    }

    @Override
    public int addKey(String type, String description, byte[] payload, int destinationKeyring) {
        return process.addKey(type, description, payload, destinationKeyring);
    }

    @Override
    public void invalidateKey(int serial) {
        process.invalidateKey(serial);
    }

    @Override
    public int interfaceIndex(String interfaceName) {
        return process.interfaceIndex(interfaceName);
    }

    @Override
    public Fd openDirectory(Path directory) {
        return process.openDirectory(directory);
    }

    @Override
    public Fd openFile(Path file) {
        return process.openFile(file);
    }

    @Override
    public void mountBpffs(Path target) {
        process.mountBpffs(target);
    }

    @Override
    public void mountTracefs(Path target) {
        process.mountTracefs(target);
    }

    @Override
    public void unmount(Path target) {
        process.unmount(target);
    }

    @Override
    public void unshareNetworkNamespace() {
        process.unshareNetworkNamespace();
    }

    @Override
    public void enterNetworkNamespace(Path namespace) {
        process.enterNetworkNamespace(namespace);
    }
}
