package dev.sigil.bpf.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.sigil.bpf.sys.BpfAttrFields.EnableStats;
import dev.sigil.bpf.sys.BpfAttrFields.MapCreate;
import dev.sigil.bpf.sys.BpfAttrFields.Obj;
import dev.sigil.bpf.sys.BpfAttrFields.ProgLoad;
import dev.sigil.bpf.sys.BpfAttrFields.ProgRun;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The real bridge: every bpf() command goes through one entry point ({@link BpfSyscall}), which builds
 * nothing and interprets nothing; the typed methods around it fill one {@link BpfAttr} layout each (queries
 * about existing objects in {@link LinuxObjects}, links in {@link LinuxLinks}, the calls that are not bpf() in {@link LinuxProcessCalls}).
 * Arguments live in this thread's call memory ({@link CallMemory}), given back when the call returns, so
 * nothing outlives the system call that needed it; each field is written at an offset located once ({@link BpfAttr}).
 */
public final class LinuxSyscallBridge implements SyscallBridge {
    private final BpfSyscall bpf;
    private final LinuxObjects objects;
    private final LinuxLinks links;
    private final LinuxProcessCalls process;

    public LinuxSyscallBridge(SyscallNumbers numbers) {
        this.bpf = new BpfSyscall(numbers);
        this.objects = new LinuxObjects(bpf);
        this.links = new LinuxLinks(bpf);
        this.process = new LinuxProcessCalls(numbers);
    }

    /** The bridge for this machine's architecture. */
    public static LinuxSyscallBridge create() {
        return new LinuxSyscallBridge(SyscallNumbers.current());
    }

    @Override
    public Fd mapCreate(MapCreateRequest request) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment attr = memory.allocate(BpfAttr.MAP_CREATE);
            MapCreate.MAP_TYPE.set(attr, request.type().code());
            MapCreate.KEY_SIZE.set(attr, request.keySize());
            MapCreate.VALUE_SIZE.set(attr, request.valueSize());
            MapCreate.MAX_ENTRIES.set(attr, request.maxEntries());
            MapCreate.MAP_FLAGS.set(attr, request.flags());
            MapCreate.MAP_NAME.name(attr, request.name());
            if (request.exclusiveProgramHash().isPresent()) {
                byte[] hash = request.exclusiveProgramHash().get();
                MapCreate.EXCL_PROG_HASH.address(attr, memory.copy(hash));
                MapCreate.EXCL_PROG_HASH_SIZE.set(attr, hash.length);
            }
            return bpf.callForFd(BpfCommand.MAP_CREATE, attr, () -> "map " + request.name());
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
        objects.mapUpdate(map, key, value);
    }

    @Override
    public Optional<byte[]> mapLookup(Fd map, byte[] key, int valueSize) {
        return objects.mapLookup(map, key, valueSize);
    }

    @Override
    public void mapFreeze(Fd map) {
        objects.mapFreeze(map);
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
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment attr = memory.allocate(BpfAttr.PROG_LOAD);
            ProgLoad.PROG_TYPE.set(attr, request.type().code());
            ProgLoad.INSN_CNT.set(attr, request.instructions().length / ProgLoadRequest.INSTRUCTION_SIZE);
            ProgLoad.INSNS.address(attr, memory.copy(request.instructions()));
            ProgLoad.LICENSE.address(attr, memory.string(request.license()));
            ProgLoad.PROG_FLAGS.set(attr, request.flags());
            ProgLoad.PROG_NAME.name(attr, request.name());
            ProgLoad.EXPECTED_ATTACH_TYPE.set(attr, request.expectedAttachType());
            ProgLoad.ATTACH_BTF_ID.set(attr, request.attachBtfId());
            MemorySegment log = request.logLevel() > 0 ? memory.allocate(request.logSize()) : MemorySegment.NULL;
            if (request.logLevel() > 0) {
                ProgLoad.LOG_LEVEL.set(attr, request.logLevel());
                ProgLoad.LOG_SIZE.set(attr, request.logSize());
                ProgLoad.LOG_BUF.address(attr, log);
            }
            if (!request.fdArray().isEmpty()) {
                MemorySegment fds = memory.allocate(JAVA_INT.byteSize() * request.fdArray().size());
                for (int i = 0; i < request.fdArray().size(); i++) {
                    fds.setAtIndex(JAVA_INT, i, request.fdArray().get(i).number());
                }
                ProgLoad.FD_ARRAY.address(attr, fds);
                if (request.countFdArray()) {
                    ProgLoad.FD_ARRAY_CNT.set(attr, request.fdArray().size());
                }
            }
            if (request.signature().isPresent()) {
                ProgramSignature signature = request.signature().get();
                ProgLoad.SIGNATURE.address(attr, memory.copy(signature.signature()));
                ProgLoad.SIGNATURE_SIZE.set(attr, signature.signature().length);
                ProgLoad.KEYRING_ID.set(attr, signature.keyringId());
            }
            Native.Result result = bpf.attempt(BpfCommand.PROG_LOAD, attr);
            if (result.failed()) {
                String text = request.logLevel() > 0 ? log.getString(0, StandardCharsets.UTF_8) : "";
                throw new ProgramLoadException(result.errno(), request.name(), text);
            }
            return Fd.ownNative((int) result.value());
        }
    }

    @Override
    public ProgRunResult progRun(Fd program, byte[] context) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment ctx = memory.copy(context);
            MemorySegment attr = memory.allocate(BpfAttr.PROG_RUN);
            ProgRun.PROG_FD.set(attr, program.number());
            ProgRun.CTX_IN.address(attr, ctx);
            ProgRun.CTX_SIZE_IN.set(attr, context.length);
            bpf.call(BpfCommand.PROG_RUN, attr, () -> "program " + program);
            byte[] after = context.length == 0 ? new byte[0] : ctx.toArray(JAVA_BYTE);
            return new ProgRunResult(ProgRun.RETVAL.get(attr), after);
        }
    }

    @Override
    public Fd linkCreate(Fd program, int target, BpfAttachType attachType, int flags) {
        return links.linkCreate(program, target, attachType, flags);
    }

    @Override
    public Fd kprobeMultiLinkCreate(Fd program, List<String> functions) {
        return links.kprobeMultiLinkCreate(program, functions);
    }

    @Override
    public Fd uprobeMultiLinkCreate(Fd program, Path binary, List<Long> offsets, boolean retprobe, OptionalInt pid) {
        return links.uprobeMultiLinkCreate(program, binary, offsets, retprobe, pid);
    }

    @Override
    public Fd perfEventOpen(PerfEventRequest request) {
        return process.perfEventOpen(request);
    }

    @Override
    public void linkUpdate(Fd link, Fd newProgram) {
        links.linkUpdate(link, newProgram);
    }

    @Override
    public Fd rawTracepointOpen(Optional<String> tracepoint, Fd program) {
        return links.rawTracepointOpen(tracepoint, program);
    }

    @Override
    public void objPin(Fd object, Path path) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment attr = memory.allocate(BpfAttr.OBJ);
            Obj.PATHNAME.address(attr, memory.string(path.toString()));
            Obj.BPF_FD.set(attr, object.number());
            bpf.call(BpfCommand.OBJ_PIN, attr, path::toString);
        }
    }

    @Override
    public Fd objGet(Path path) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment attr = memory.allocate(BpfAttr.OBJ);
            Obj.PATHNAME.address(attr, memory.string(path.toString()));
            return bpf.callForFd(BpfCommand.OBJ_GET, attr, path::toString);
        }
    }

    @Override
    public void linkDetach(Fd link) {
        links.linkDetach(link);
    }

    @Override
    public Fd enableStats(BpfStatsType type) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment attr = memory.allocate(BpfAttr.ENABLE_STATS);
            EnableStats.TYPE.set(attr, type.code());
            return bpf.callForFd(BpfCommand.ENABLE_STATS, attr, type::name);
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
    public Optional<String> defaultRouteInterface() {
        return RouteTable.defaultRouteInterface();
    }

    @Override
    public List<String> networkInterfaces() {
        return RouteTable.interfaces();
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
