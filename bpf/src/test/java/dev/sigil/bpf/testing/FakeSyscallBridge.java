package dev.sigil.bpf.testing;

import dev.sigil.bpf.loader.LoaderContext;
import dev.sigil.bpf.sys.BpfAttachType;
import dev.sigil.bpf.sys.BpfStatsType;
import dev.sigil.bpf.sys.Errno;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.LinkInfo;
import dev.sigil.bpf.sys.LogBuffer;
import dev.sigil.bpf.sys.MapCreateRequest;
import dev.sigil.bpf.sys.MapInfo;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.sys.PerfEventRequest;
import dev.sigil.bpf.sys.ProgInfo;
import dev.sigil.bpf.sys.ProgLoadRequest;
import dev.sigil.bpf.sys.ProgRunResult;
import dev.sigil.bpf.sys.ProgramLoadException;
import dev.sigil.bpf.sys.ProgramType;
import dev.sigil.bpf.sys.SyscallBridge;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * A kernel in memory, for unit tests: records every call by name, hands out fake fds and tracks which
 * are open, and plays a well-behaved light-skeleton loader on PROG_RUN (writes fds for every map and
 * program slot of the context) unless told to return an error.
 */
public final class FakeSyscallBridge implements SyscallBridge {
    public final List<String> calls = new ArrayList<>();
    public final List<MapCreateRequest> mapsCreated = new ArrayList<>();
    public final List<ProgLoadRequest> programsLoaded = new ArrayList<>();
    public final Set<Integer> openFds = new TreeSet<>();
    /** What the loader program returns; 0 fills the context, negative is an error like -EBADMSG. */
    public int loaderReturn = 0;
    public byte[] mapHash = new byte[32];
    /** When set, every BPF_MAP_CREATE fails with it. */
    public RuntimeException mapCreateFailure;
    /** When set, every BPF_PROG_LOAD fails with it. */
    public RuntimeException progLoadFailure;
    /** Thrown by progInfo, as a library bug would be. */
    public RuntimeException progInfoFailure;
    /** The next this many BPF_PROG_LOADs fail with EAGAIN, as when a signal interrupts the verifier. */
    public int progLoadInterruptions;
    /** Programs the fake kernel has by id, beyond those loaded through it: BPF_PROG_GET_FD_BY_ID finds them. */
    public final Map<Integer, ProgInfo> programsById = new HashMap<>();
    private final Map<Integer, ProgInfo> programFds = new HashMap<>();
    private int nextFd = 100;

    private Fd newFd() {
        int number = nextFd++;
        openFds.add(number);
        return Fd.own(number, openFds::remove);
    }

    @Override
    public Fd mapCreate(MapCreateRequest request) {
        calls.add("mapCreate");
        mapsCreated.add(request);
        if (mapCreateFailure != null) {
            throw mapCreateFailure;
        }
        return newFd();
    }

    @Override
    public Fd adopt(int number) {
        calls.add("adopt");
        openFds.add(number);
        return Fd.own(number, openFds::remove);
    }

    @Override
    public LogBuffer logBuffer(int size) {
        calls.add("logBuffer");
        return new LogBuffer() {
            public long address() {
                return 0x1000;
            }

            public int size() {
                return size;
            }

            public String text() {
                return "";
            }

            public void close() {
            }
        };
    }

    @Override
    public void mapUpdate(Fd map, byte[] key, byte[] value) {
        calls.add("mapUpdate");
    }

    @Override
    public Optional<byte[]> mapLookup(Fd map, byte[] key, int valueSize) {
        calls.add("mapLookup");
        return Optional.of(new byte[valueSize]);
    }

    @Override
    public void mapFreeze(Fd map) {
        calls.add("mapFreeze");
    }

    @Override
    public MapInfo mapInfo(Fd map, boolean computeHash) {
        calls.add(computeHash ? "mapInfo+hash" : "mapInfo");
        return new MapInfo(2, map.number(), 4, 8, 1, 0, "fake", computeHash ? Optional.of(mapHash) : Optional.empty());
    }

    @Override
    public ProgInfo progInfo(Fd program) {
        calls.add("progInfo");
        if (progInfoFailure != null) {
            throw progInfoFailure;
        }
        ProgInfo byId = programFds.get(program.number());
        if (byId != null) {
            return byId;
        }
        return new ProgInfo(ProgramType.RAW_TRACEPOINT.code(), program.number(), "0011223344556677",
                "count_sys_enter", List.of(), 0, 0);
    }

    @Override
    public LinkInfo linkInfo(Fd link) {
        calls.add("linkInfo");
        return new LinkInfo(1, link.number(), 0, 0);
    }

    @Override
    public Fd progLoad(ProgLoadRequest request) {
        calls.add("progLoad");
        programsLoaded.add(request);
        if (progLoadInterruptions > 0) {
            progLoadInterruptions--;
            throw new ProgramLoadException(Errno.EAGAIN.number(), request.name(), "");
        }
        if (progLoadFailure != null) {
            throw progLoadFailure;
        }
        return newFd();
    }

    @Override
    public ProgRunResult progRun(Fd program, byte[] context) {
        calls.add("progRun");
        if (loaderReturn < 0) {
            return new ProgRunResult(loaderReturn, context);
        }
        ByteBuffer filled = ByteBuffer.wrap(context.clone()).order(ByteOrder.nativeOrder());
        // Like a loader that created everything: an fd in every map slot, then in every program slot to the end.
        LoaderContext slots = new LoaderContext(mapSlots, 0);
        for (int map = 0; map < mapSlots; map++) {
            filled.putInt(slots.mapFdOffset(map), loaderCreatedFd());
        }
        for (int index = 0; slots.programFdOffset(index) < context.length; index++) {
            filled.putInt(slots.programFdOffset(index), loaderCreatedFd());
        }
        return new ProgRunResult(loaderReturn, filled.array());
    }

    /** How many map slots the next loader context has (the fake cannot tell maps from programs otherwise). */
    public int mapSlots;

    private int loaderCreatedFd() {
        int number = nextFd++;
        openFds.add(number);
        return number;
    }

    @Override
    public Fd linkCreate(Fd program, int target, BpfAttachType attachType, int flags) {
        calls.add("linkCreate");
        return newFd();
    }

    @Override
    public Fd kprobeMultiLinkCreate(Fd program, List<String> functions) {
        calls.add("kprobeMultiLinkCreate");
        return newFd();
    }

    @Override
    public Fd uprobeMultiLinkCreate(Fd program, Path binary, List<Long> offsets, boolean retprobe, OptionalInt pid) {
        calls.add("uprobeMultiLinkCreate");
        return newFd();
    }

    @Override
    public Fd perfEventOpen(PerfEventRequest request) {
        calls.add("perfEventOpen");
        return newFd();
    }

    @Override
    public void linkUpdate(Fd link, Fd newProgram) {
        calls.add("linkUpdate");
    }

    @Override
    public Fd rawTracepointOpen(Optional<String> tracepoint, Fd program) {
        calls.add("rawTracepointOpen");
        return newFd();
    }

    @Override
    public void objPin(Fd object, Path path) {
        calls.add("objPin");
        try {
            // A pin is a file in bpffs; a plain file stands in for it in a temporary pin root.
            java.nio.file.Files.createFile(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public Fd objGet(Path path) {
        calls.add("objGet");
        return newFd();
    }

    @Override
    public void linkDetach(Fd link) {
        calls.add("linkDetach");
    }

    @Override
    public Optional<Fd> fdById(ObjectKind kind, int id) {
        calls.add("fdById");
        ProgInfo program = kind == ObjectKind.PROGRAM ? programsById.get(id) : null;
        if (program == null) {
            return Optional.empty();
        }
        Fd fd = newFd();
        programFds.put(fd.number(), program);
        return Optional.of(fd);
    }

    @Override
    public OptionalInt nextId(ObjectKind kind, int startId) {
        calls.add("nextId");
        return OptionalInt.empty();
    }

    @Override
    public Fd enableStats(BpfStatsType type) {
        calls.add("enableStats");
        return newFd();
    }

    @Override
    public int addKey(String type, String description, byte[] payload, int destinationKeyring) {
        calls.add("addKey:" + type);
        return 4711;
    }

    @Override
    public void invalidateKey(int serial) {
        calls.add("invalidateKey");
    }

    @Override
    public int interfaceIndex(String interfaceName) {
        calls.add("interfaceIndex");
        return 7;
    }

    @Override
    public Optional<String> defaultRouteInterface() {
        calls.add("defaultRouteInterface");
        return Optional.of("eth0");
    }

    @Override
    public List<String> networkInterfaces() {
        calls.add("networkInterfaces");
        return List.of("eth0", "lo");
    }

    @Override
    public Fd openDirectory(Path directory) {
        calls.add("openDirectory");
        return newFd();
    }

    @Override
    public Fd openFile(Path file) {
        calls.add("openFile");
        return newFd();
    }

    @Override
    public void mountBpffs(Path target) {
        calls.add("mountBpffs");
    }

    @Override
    public void mountTracefs(Path target) {
        calls.add("mountTracefs");
    }

    @Override
    public void unmount(Path target) {
        calls.add("unmount");
    }

    @Override
    public void unshareNetworkNamespace() {
        calls.add("unshareNetworkNamespace");
    }

    @Override
    public void enterNetworkNamespace(Path namespace) {
        calls.add("enterNetworkNamespace");
    }
}
