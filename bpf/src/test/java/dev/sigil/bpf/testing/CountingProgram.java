package dev.sigil.bpf.testing;

import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.MapCreateRequest;
import dev.sigil.bpf.sys.MapType;
import dev.sigil.bpf.sys.ProgLoadRequest;
import dev.sigil.bpf.sys.ProgramType;
import dev.sigil.bpf.sys.SyscallBridge;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * A counting program assembled here rather than by clang, for the library's own kernel tests: any program
 * type and expected attach type (including BPF_TRACE_UPROBE_MULTI, which Debian's libbpf 1.1 cannot put
 * in a skeleton), each run adding one to the u64 at key 0 of its own array map and returning
 * {@code returnValue}. Loaded without the signed loader: only attaching is under test.
 */
public final class CountingProgram implements AutoCloseable {
    private static final int BPF_PSEUDO_MAP_FD = 1;
    private static final int FUNC_MAP_LOOKUP_ELEM = 1;

    private final SyscallBridge bridge;
    private final ProgramType type;
    private final Fd map;
    private final Fd program;

    private CountingProgram(SyscallBridge bridge, ProgramType type, Fd map, Fd program) {
        this.bridge = bridge;
        this.type = type;
        this.map = map;
        this.program = program;
    }

    public static CountingProgram load(SyscallBridge bridge, ProgramType type, int expectedAttachType, int returnValue) {
        Fd map = bridge.mapCreate(new MapCreateRequest(MapType.ARRAY, Integer.BYTES, Long.BYTES, 1, 0, "sigil_hits",
                Optional.empty()));
        try {
            Fd program = bridge.progLoad(new ProgLoadRequest(type, instructions(map.number(), returnValue), "GPL", 0,
                    "sigil_count", expectedAttachType, 0, List.of(), false, Optional.empty(), 0, 0));
            return new CountingProgram(bridge, type, map, program);
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
    }

    public Fd fd() {
        return program;
    }

    /** The {@code enum bpf_prog_type} value it was loaded as. */
    public int type() {
        return type.code();
    }

    public long hits() {
        byte[] key = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(0).array();
        return bridge.mapLookup(map, key, Long.BYTES)
                .map(value -> ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong()).orElseThrow();
    }

    /**
     * <pre>
     *   r1 = map fd (ld_imm64, BPF_PSEUDO_MAP_FD)     ; 2 slots
     *   r2 = r10; r2 += -4; *(u32 *)(r10 - 4) = 0     ; key 0 on the stack
     *   r0 = bpf_map_lookup_elem(r1, r2)
     *   if r0 == 0 goto +2
     *   r1 = 1; lock *(u64 *)(r0 + 0) += r1
     *   r0 = returnValue; exit
     * </pre>
     */
    private static byte[] instructions(int mapFd, int returnValue) {
        ByteBuffer code = ByteBuffer.allocate(11 * 8).order(ByteOrder.LITTLE_ENDIAN);
        instruction(code, 0x18, 1, BPF_PSEUDO_MAP_FD, 0, mapFd);
        instruction(code, 0x00, 0, 0, 0, 0);
        instruction(code, 0xbf, 2, 10, 0, 0);
        instruction(code, 0x07, 2, 0, 0, -4);
        instruction(code, 0x62, 10, 0, -4, 0);
        instruction(code, 0x85, 0, 0, 0, FUNC_MAP_LOOKUP_ELEM);
        instruction(code, 0x15, 0, 0, 2, 0);
        instruction(code, 0xb7, 1, 0, 0, 1);
        instruction(code, 0xdb, 0, 1, 0, 0);
        instruction(code, 0xb7, 0, 0, 0, returnValue);
        instruction(code, 0x95, 0, 0, 0, 0);
        return code.array();
    }

    private static void instruction(ByteBuffer code, int opcode, int dst, int src, int offset, int immediate) {
        code.put((byte) opcode).put((byte) (src << 4 | dst)).putShort((short) offset).putInt(immediate);
    }

    @Override
    public void close() {
        program.close();
        map.close();
    }
}
