package dev.sigil.bpf.sys;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything the agent asks of the kernel, one typed method per command. {@link LinuxSyscallBridge} is
 * the real thing; unit tests substitute a hand-written fake, so loader and lifecycle logic can be
 * tested without root. Every method either succeeds or throws {@link SyscallException}; every returned
 * {@link Fd} belongs to the caller.
 */
public interface SyscallBridge {

    Fd mapCreate(MapCreateRequest request);

    /** Takes ownership of a descriptor the kernel created on the agent's behalf, e.g. by a loader program. */
    Fd adopt(int number);

    /** Memory the kernel can write a verifier log into, by address (the loader context carries it). */
    LogBuffer logBuffer(int size);

    void mapUpdate(Fd map, byte[] key, byte[] value);

    /** The value under {@code key}, or empty when the map has none (ENOENT). */
    Optional<byte[]> mapLookup(Fd map, byte[] key, int valueSize);

    void mapFreeze(Fd map);

    /** Map info; with {@code computeHash} the kernel also computes and caches the map's SHA-256 (6.18). */
    MapInfo mapInfo(Fd map, boolean computeHash);

    ProgInfo progInfo(Fd program);

    LinkInfo linkInfo(Fd link);

    Fd progLoad(ProgLoadRequest request);

    /** Runs a program once with {@code context} as ctx_in (SYSCALL programs write their results back into it). */
    ProgRunResult progRun(Fd program, byte[] context);

    /** BPF_LINK_CREATE; {@code target} is a target fd (cgroup) or an interface index (XDP, tcx), 0 for tracing. */
    Fd linkCreate(Fd program, int target, BpfAttachType attachType, int flags);

    /** BPF_LINK_CREATE for a kprobe_multi link on the named kernel functions. */
    Fd kprobeMultiLinkCreate(Fd program, List<String> functions);

    /**
     * BPF_LINK_CREATE for a uprobe_multi link (the program's expected attach type must be
     * BPF_TRACE_UPROBE_MULTI): one uprobe per file offset in {@code binary}, on return with {@code retprobe},
     * only in process {@code pid} when given.
     */
    Fd uprobeMultiLinkCreate(Fd program, Path binary, List<Long> offsets, boolean retprobe, OptionalInt pid);

    /**
     * perf_event_open(2), close-on-exec: a tracepoint or uprobe event for a BPF_PERF_EVENT link
     * ({@link #linkCreate} with the event's fd as the target). The link holds the event: its fd may be closed then.
     */
    Fd perfEventOpen(PerfEventRequest request);

    /** Swaps the program a link runs, atomically: the target never runs neither. */
    void linkUpdate(Fd link, Fd newProgram);

    /** BPF_RAW_TRACEPOINT_OPEN; {@code tracepoint} empty for BTF-typed programs, whose target the load fixed. */
    Fd rawTracepointOpen(Optional<String> tracepoint, Fd program);

    void objPin(Fd object, Path path);

    Fd objGet(Path path);

    void linkDetach(Fd link);

    /** An fd for the object with {@code id}, or empty when no such object exists (ENOENT). */
    Optional<Fd> fdById(ObjectKind kind, int id);

    /** The smallest id greater than {@code startId}, or empty past the last one. */
    OptionalInt nextId(ObjectKind kind, int startId);

    /**
     * BPF_ENABLE_STATS: the kernel counts every program's runs and run time ({@link ProgInfo#runCount()},
     * {@link ProgInfo#runTimeNanos()}) for as long as the returned fd is open (stats cost a little on each run).
     */
    Fd enableStats(BpfStatsType type);

    /** add_key(2): the new key's serial. {@code payload} may be empty (keyrings). */
    int addKey(String type, String description, byte[] payload, int destinationKeyring);

    /** keyctl(KEYCTL_INVALIDATE): the key or keyring is destroyed, in every keyring that holds it. */
    void invalidateKey(int serial);

    /** if_nametoindex(3) in the agent's network namespace. */
    int interfaceIndex(String interfaceName);

    /**
     * The interface holding the default route in the calling thread's network namespace (IPv4, else IPv6;
     * the lowest metric among several), as the kernel's routing table says; empty when there is none.
     */
    Optional<String> defaultRouteInterface();

    /** The names of the interfaces in the calling thread's network namespace, sorted. */
    List<String> networkInterfaces();

    /** An O_RDONLY|O_DIRECTORY fd, e.g. a cgroup v2 directory to attach to. */
    Fd openDirectory(Path directory);

    /** An O_RDONLY fd on a file that is not a directory, e.g. a network namespace ({@code /var/run/netns/NAME}). */
    Fd openFile(Path file);

    /** mount -t bpf bpf {@code target}. */
    void mountBpffs(Path target);

    /** mount -t tracefs tracefs {@code target}. */
    void mountTracefs(Path target);

    /** umount2({@code target}, MNT_DETACH). */
    void unmount(Path target);

    /**
     * unshare(CLONE_NEWNET) for the calling thread only: it moves into a fresh network namespace holding
     * just a loopback device. For a throwaway thread that must not disturb the node's interfaces.
     */
    void unshareNetworkNamespace();

    /**
     * setns(2) for the calling thread only: it moves into the network namespace bound at {@code namespace}
     * (e.g. {@code /var/run/netns/NAME}), so its interface names and indexes are that namespace's.
     */
    void enterNetworkNamespace(Path namespace);
}
