package dev.sigil.signing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads each program's load attributes out of a light skeleton, the way its loader uses them. libbpf's
 * gen_loader ({@code src/gen_loader.c}, behind {@code bpftool gen skeleton -L}) writes every
 * {@code union bpf_attr} the loader passes to {@code BPF_PROG_LOAD} into the metadata blob and emits,
 * for program {@code i}:
 * <pre>
 *   r1 = BPF_PROG_LOAD (5)                         mov64 imm
 *   r2 = blob + ATTR                               ld_imm64, src BPF_PSEUDO_MAP_IDX_VALUE, map 0, ATTR in imm[1]
 *   r3 = attr size                                 mov64 imm
 *   call sys_bpf (166)
 * </pre>
 * Tracing, LSM and iterator programs first resolve their BTF target ({@code emit_find_attach_target}):
 * <pre>
 *   r1 = blob + NAME; r2 = strlen(NAME) + 1; r3 = BTF kind; r4 = 0; call btf_find_by_name_kind (167)
 *   ...
 *   r0 = blob + ATTR; *(u32 *)(r0 + 108) = r7     attach_btf_id of that program's attr
 * </pre>
 * where NAME carries libbpf's prefix ({@code btf_trace_} for tp_btf, {@code bpf_lsm_} for LSM,
 * {@code bpf_iter_} for iterators). In the attr, {@code prog_type} is at 0, {@code prog_name[16]} at 48
 * and {@code expected_attach_type} at 68 ({@code include/uapi/linux/bpf.h}). The only class that knows
 * this layout. Loader and metadata are little-endian, as gen_loader writes them for x86-64 and arm64.
 */
public final class GenLoaderMetadata {
    private static final int BPF_PROG_LOAD = 5;
    private static final int FUNC_SYS_BPF = 166;
    private static final int FUNC_BTF_FIND_BY_NAME_KIND = 167;
    private static final int PSEUDO_MAP_IDX_VALUE = 6;
    private static final int OP_LD_IMM64 = 0x18;
    private static final int OP_MOV64_IMM = 0xb7;
    private static final int OP_CALL = 0x85;
    private static final int OP_STX_MEM_W = 0x63;
    private static final int ATTR_PROG_TYPE = 0;
    private static final int ATTR_PROG_NAME = 48;
    private static final int ATTR_PROG_NAME_SIZE = 16;
    private static final int ATTR_EXPECTED_ATTACH_TYPE = 68;
    private static final int ATTR_ATTACH_BTF_ID = 108;
    private static final int ATTR_MIN_SIZE = ATTR_ATTACH_BTF_ID + 4;
    private static final int MAX_TARGET_LENGTH = 512;

    private record Instruction(int opcode, int dst, int src, int offset, int imm) {
        boolean movImm(int register) {
            return opcode == OP_MOV64_IMM && dst == register && src == 0;
        }

        boolean call(int helper) {
            return opcode == OP_CALL && src == 0 && imm == helper;
        }
    }

    private record Target(int offset, int length) {
    }

    private final byte[] metadata;
    private final Instruction[] code;

    private GenLoaderMetadata(byte[] loader, byte[] metadata) {
        this.metadata = metadata;
        ByteBuffer in = ByteBuffer.wrap(loader).order(ByteOrder.LITTLE_ENDIAN);
        code = new Instruction[loader.length / LoaderHashV1.INSTRUCTION_SIZE];
        for (int i = 0; i < code.length; i++) {
            int opcode = Byte.toUnsignedInt(in.get());
            int registers = Byte.toUnsignedInt(in.get());
            code[i] = new Instruction(opcode, registers & 0x0f, registers >>> 4, in.getShort(), in.getInt());
        }
    }

    /**
     * The programs the loader loads, in its order. Works on the unsigned loader or the signed one (the
     * LoaderHashV1 prologue calls nothing).
     *
     * @throws VerificationException {@code MalformedMetadata} when a load attribute lies outside the
     *     metadata or a name is not a NUL-terminated printable string
     */
    public static List<ProgramLoad> programs(byte[] loader, byte[] metadata) throws VerificationException {
        return new GenLoaderMetadata(loader, metadata).programs();
    }

    private List<ProgramLoad> programs() throws VerificationException {
        List<ProgramLoad> loads = new ArrayList<>();
        Map<Integer, Target> targets = new HashMap<>();
        Target lastFound = null;
        for (int i = 0; i < code.length; i++) {
            lastFound = findByNameKindAt(i).orElse(lastFound);
            if (lastFound != null && storesAttachBtfIdAt(i)) {
                targets.put(blobOffset(i), lastFound);
            }
            Optional<Integer> attr = progLoadAt(i);
            if (attr.isPresent()) {
                loads.add(load(attr.get(), Optional.ofNullable(targets.get(attr.get()))));
            }
        }
        return List.copyOf(loads);
    }

    /** {@code r1 = blob + NAME; r2 = len; r3 = kind; r4 = 0; call btf_find_by_name_kind} ending at {@code i}. */
    private Optional<Target> findByNameKindAt(int i) {
        if (i < 5 || !code[i].call(FUNC_BTF_FIND_BY_NAME_KIND) || !code[i - 1].movImm(4) || !code[i - 2].movImm(3)
                || !code[i - 3].movImm(2) || !blobAddress(i - 5, 1)) {
            return Optional.empty();
        }
        return Optional.of(new Target(blobOffset(i - 5), code[i - 3].imm()));
    }

    /** {@code r0 = blob + ATTR; *(u32 *)(r0 + attach_btf_id) = r7} starting at {@code i}. */
    private boolean storesAttachBtfIdAt(int i) {
        return i + 2 < code.length && blobAddress(i, 0) && code[i + 2].opcode() == OP_STX_MEM_W
                && code[i + 2].dst() == 0 && code[i + 2].src() == 7 && code[i + 2].offset() == ATTR_ATTACH_BTF_ID;
    }

    /** {@code r1 = BPF_PROG_LOAD; r2 = blob + ATTR; r3 = size; call sys_bpf} starting at {@code i}: ATTR. */
    private Optional<Integer> progLoadAt(int i) {
        if (i + 4 < code.length && code[i].movImm(1) && code[i].imm() == BPF_PROG_LOAD && blobAddress(i + 1, 2)
                && code[i + 3].movImm(3) && code[i + 4].call(FUNC_SYS_BPF)) {
            return Optional.of(blobOffset(i + 1));
        }
        return Optional.empty();
    }

    /** A two-slot {@code ld_imm64} of {@code register} with the address of a metadata offset (map 0). */
    private boolean blobAddress(int i, int register) {
        return i + 1 < code.length && code[i].opcode() == OP_LD_IMM64 && code[i].dst() == register
                && code[i].src() == PSEUDO_MAP_IDX_VALUE && code[i].imm() == 0 && code[i + 1].opcode() == 0;
    }

    private int blobOffset(int i) {
        return code[i + 1].imm();
    }

    private ProgramLoad load(int attr, Optional<Target> target) throws VerificationException {
        if (attr < 0 || attr > metadata.length - ATTR_MIN_SIZE) {
            throw malformed("the loader's BPF_PROG_LOAD attributes at metadata offset " + attr
                    + " lie outside the " + metadata.length + "-byte metadata");
        }
        ByteBuffer in = ByteBuffer.wrap(metadata).order(ByteOrder.LITTLE_ENDIAN);
        String name = string(attr + ATTR_PROG_NAME, ATTR_PROG_NAME_SIZE, "program name at metadata offset "
                + (attr + ATTR_PROG_NAME));
        int expectedAttachType = in.getInt(attr + ATTR_EXPECTED_ATTACH_TYPE);
        Optional<String> attachTarget = Optional.empty();
        if (target.isPresent()) {
            attachTarget = Optional.of(withoutPrefix(name, expectedAttachType, target(target.get(), name)));
        }
        return new ProgramLoad(name, in.getInt(attr + ATTR_PROG_TYPE), expectedAttachType, attachTarget);
    }

    private String target(Target target, String program) throws VerificationException {
        if (target.length() < 2 || target.length() > MAX_TARGET_LENGTH || target.offset() < 0
                || target.offset() > metadata.length - target.length()) {
            throw malformed("the BTF target of program " + program + " (" + target.length()
                    + " bytes at metadata offset " + target.offset() + ") lies outside the metadata");
        }
        String text = string(target.offset(), target.length(), "BTF target of program " + program);
        if (text.length() != target.length() - 1) {
            throw malformed("the BTF target of program " + program + " is shorter than the loader says");
        }
        return text;
    }

    /** A NUL-terminated string of printable ASCII within {@code size} bytes at {@code offset}. */
    private String string(int offset, int size, String what) throws VerificationException {
        int length = 0;
        while (length < size && metadata[offset + length] != 0) {
            byte b = metadata[offset + length];
            if (b < 0x21 || b > 0x7e) {
                throw malformed("the " + what + " holds a byte that is not printable ASCII (0x"
                        + Integer.toHexString(Byte.toUnsignedInt(b)) + ")");
            }
            length++;
        }
        if (length == size) {
            throw malformed("the " + what + " is not NUL-terminated within " + size + " bytes");
        }
        return new String(metadata, offset, length, StandardCharsets.US_ASCII);
    }

    /** libbpf prefixes the BTF name it looks up ({@code btf_get_kernel_prefix_kind}); the target is the rest. */
    private static String withoutPrefix(String program, int expectedAttachType, String name) throws VerificationException {
        String prefix = switch (expectedAttachType) {
            case ProgramLoad.ATTACH_TRACE_RAW_TP -> "btf_trace_";
            case ProgramLoad.ATTACH_LSM_MAC, ProgramLoad.ATTACH_LSM_CGROUP -> "bpf_lsm_";
            case ProgramLoad.ATTACH_TRACE_ITER -> "bpf_iter_";
            default -> "";
        };
        if (!name.startsWith(prefix) || name.length() == prefix.length()) {
            throw malformed("the BTF target '" + name + "' of program " + program + " lacks libbpf's prefix '" + prefix + "'");
        }
        return name.substring(prefix.length());
    }

    private static VerificationException malformed(String message) {
        return new VerificationException(ReasonCode.MalformedMetadata, message);
    }
}
