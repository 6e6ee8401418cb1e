package dev.sigil.signing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the header {@code bpftool gen skeleton -L} prints. Two layouts exist:
 * <ul>
 *   <li>bpftool up to 7.5 (Debian's 7.1): {@code opts.data = (void *)"\...";} and
 *       {@code opts.insns = (void *)"\...";} with explicit {@code opts.data_sz = N;} / {@code opts.insns_sz = N;};</li>
 *   <li>newer bpftool: {@code static const char opts_data[] __attribute__((__aligned__(8))) = "\...";} and
 *       {@code opts_insn[]}; with {@code -S} (7.7+) also {@code opts_sig[]} (the CMS signature over the
 *       instructions) and {@code opts_excl_hash[]} (SHA-256 of the instructions).</li>
 * </ul>
 * Maps and programs come from the skeleton struct ({@code struct bpf_map_desc NAME;},
 * {@code struct bpf_prog_desc NAME;}), default attach points from the {@code NAME__PROG__attach} functions.
 */
final class LightSkeletonParser {
    private static final Pattern SKELETON_STRUCT =
            Pattern.compile("(?m)^struct (\\w+) \\{\\s*\\n\\s*struct bpf_loader_ctx ctx;");
    private static final Pattern STRUCT_END = Pattern.compile("(?m)^};");
    private static final Pattern MAP_DESC = Pattern.compile("struct bpf_map_desc (\\w+);");
    private static final Pattern PROG_DESC = Pattern.compile("struct bpf_prog_desc (\\w+);");
    private static final Pattern BLOB = Pattern.compile(
            "opts\\.(data|insns) = \\(void \\*\\)\"|static const char (opts_data|opts_insn|opts_sig|opts_excl_hash)\\[\\][^=;\"]*= \"");
    private static final Pattern RAW_TRACEPOINT_NAMED = Pattern.compile("skel_raw_tracepoint_open\\(\\s*\"");

    /** The byte strings a light skeleton carries, by where bpftool puts them. */
    private enum Blob {
        METADATA("metadata (opts.data / opts_data)", "opts\\.data_sz = (\\d+);"),
        LOADER("loader instructions (opts.insns / opts_insn)", "opts\\.insns_sz = (\\d+);"),
        SIGNATURE("signature (opts_sig)", null),
        EXCLUSIVE_PROGRAM_HASH("exclusive program hash (opts_excl_hash)", null);

        final String description;
        final Pattern declaredSize;

        Blob(String description, String declaredSize) {
            this.description = description;
            this.declaredSize = declaredSize == null ? null : Pattern.compile(declaredSize);
        }

        static Blob of(String marker) {
            return switch (marker) {
                case "data", "opts_data" -> METADATA;
                case "insns", "opts_insn" -> LOADER;
                case "opts_sig" -> SIGNATURE;
                default -> EXCLUSIVE_PROGRAM_HASH;
            };
        }
    }

    private record Located(byte[] bytes, int line) {
    }

    private final String text;
    private final String sourceName;

    private LightSkeletonParser(String text, String sourceName) {
        this.text = text;
        this.sourceName = sourceName;
    }

    static LightSkeleton parse(String text, String sourceName) throws SkeletonFormatException {
        return new LightSkeletonParser(text, sourceName).parse();
    }

    private LightSkeleton parse() throws SkeletonFormatException {
        Matcher struct = SKELETON_STRUCT.matcher(text);
        if (!struct.find()) {
            throw new SkeletonFormatException(sourceName, 0, text.contains("struct bpf_object_skeleton")
                    ? "this is a regular BPF skeleton; Sigil needs a light skeleton (bpftool gen skeleton -L)"
                    : "not a light skeleton header: no 'struct NAME { struct bpf_loader_ctx ctx; ...' "
                            + "(generate one with bpftool gen skeleton -L)");
        }
        String name = struct.group(1);
        int structLine = CStringLiteral.lineOf(text, struct.start());
        Matcher end = STRUCT_END.matcher(text);
        if (!end.find(struct.end())) {
            throw new SkeletonFormatException(sourceName, structLine, "struct " + name + " is not closed by '};'");
        }
        String body = text.substring(struct.end(), end.start());
        List<String> maps = all(MAP_DESC, body);
        List<String> programs = all(PROG_DESC, body);
        if (programs.isEmpty()) {
            throw new SkeletonFormatException(sourceName, structLine, "struct " + name
                    + " declares no programs (no 'struct bpf_prog_desc NAME;')");
        }
        Map<Blob, Located> blobs = blobs();
        Located loader = require(blobs, Blob.LOADER);
        Located metadata = require(blobs, Blob.METADATA);
        if (loader.bytes().length % LoaderHashV1.INSTRUCTION_SIZE != 0) {
            throw new SkeletonFormatException(sourceName, loader.line(), "loader instructions are "
                    + loader.bytes().length + " bytes, not a whole number of 8-byte BPF instructions");
        }
        Optional<byte[]> exclusiveHash = Optional.ofNullable(blobs.get(Blob.EXCLUSIVE_PROGRAM_HASH)).map(Located::bytes);
        if (exclusiveHash.isPresent() && exclusiveHash.get().length != Sha256.LENGTH) {
            throw new SkeletonFormatException(sourceName, blobs.get(Blob.EXCLUSIVE_PROGRAM_HASH).line(),
                    "opts_excl_hash is " + exclusiveHash.get().length + " bytes; a SHA-256 has 32");
        }
        Map<String, AttachHint> defaultAttach = new LinkedHashMap<>();
        for (String program : programs) {
            defaultAttach(name, program).ifPresent(hint -> defaultAttach.put(program, hint));
        }
        return new LightSkeleton(name, loader.bytes(), metadata.bytes(), maps, programs, defaultAttach,
                Optional.ofNullable(blobs.get(Blob.SIGNATURE)).map(Located::bytes), exclusiveHash);
    }

    private Map<Blob, Located> blobs() throws SkeletonFormatException {
        Map<Blob, Located> found = new EnumMap<>(Blob.class);
        Matcher marker = BLOB.matcher(text);
        int from = 0;
        while (marker.find(from)) {
            Blob blob = Blob.of(marker.group(1) != null ? marker.group(1) : marker.group(2));
            int line = CStringLiteral.lineOf(text, marker.start());
            if (found.containsKey(blob)) {
                throw new SkeletonFormatException(sourceName, line, "second definition of the " + blob.description
                        + " (the first is on line " + found.get(blob).line() + ")");
            }
            CStringLiteral.Decoded literal = CStringLiteral.decode(text, marker.end() - 1, sourceName);
            found.put(blob, new Located(literal.bytes(), line));
            from = literal.end();
        }
        for (Map.Entry<Blob, Located> entry : found.entrySet()) {
            checkDeclaredSize(entry.getKey(), entry.getValue());
        }
        return found;
    }

    /** bpftool 7.1 states each size separately; a literal of another length was cut or edited. */
    private void checkDeclaredSize(Blob blob, Located located) throws SkeletonFormatException {
        if (blob.declaredSize == null) {
            return;
        }
        Matcher size = blob.declaredSize.matcher(text);
        if (size.find()) {
            long declared = Long.parseLong(size.group(1));
            if (declared != located.bytes().length) {
                throw new SkeletonFormatException(sourceName, CStringLiteral.lineOf(text, size.start()),
                        "the " + blob.description + " are declared as " + declared + " bytes but the literal on line "
                                + located.line() + " holds " + located.bytes().length + " (truncated or edited?)");
            }
        }
    }

    private Located require(Map<Blob, Located> blobs, Blob blob) throws SkeletonFormatException {
        Located located = blobs.get(blob);
        if (located == null) {
            throw new SkeletonFormatException(sourceName, 0, "no " + blob.description + " found");
        }
        return located;
    }

    /**
     * bpftool names a target only for raw tracepoints ({@code skel_raw_tracepoint_open("sys_enter", prog_fd)}).
     * Tracing and LSM programs attach with {@code skel_raw_tracepoint_open(NULL, prog_fd)} to a BTF target
     * the header does not name, iterators with {@code skel_link_create(prog_fd, 0, BPF_TRACE_ITER)}, and
     * every other type gets {@code ((void)prog_fd, 0); auto-attach not supported}: none has a default here.
     */
    private Optional<AttachHint> defaultAttach(String skeleton, String program) throws SkeletonFormatException {
        Pattern function = Pattern.compile("(?m)^" + Pattern.quote(skeleton + "__" + program + "__attach")
                + "\\(struct " + Pattern.quote(skeleton) + " \\*skel\\)\\s*\\{");
        Matcher start = function.matcher(text);
        if (!start.find()) {
            throw new SkeletonFormatException(sourceName, 0, "no attach function " + skeleton + "__" + program
                    + "__attach for program " + program);
        }
        Matcher end = Pattern.compile("(?m)^}").matcher(text);
        if (!end.find(start.end())) {
            throw new SkeletonFormatException(sourceName, CStringLiteral.lineOf(text, start.start()),
                    "attach function for program " + program + " is not closed");
        }
        Matcher rawTracepoint = RAW_TRACEPOINT_NAMED.matcher(text).region(start.end(), end.start());
        if (!rawTracepoint.find()) {
            return Optional.empty();
        }
        byte[] target = CStringLiteral.decode(text, rawTracepoint.end() - 1, sourceName).bytes();
        String tracepoint = new String(target, StandardCharsets.UTF_8);
        if (tracepoint.isEmpty()) {
            throw new SkeletonFormatException(sourceName, CStringLiteral.lineOf(text, rawTracepoint.start()),
                    "program " + program + " attaches to a raw tracepoint with an empty name");
        }
        return Optional.of(new AttachHint("raw_tracepoint", tracepoint));
    }

    private static List<String> all(Pattern pattern, String body) {
        List<String> names = new ArrayList<>();
        Matcher matcher = pattern.matcher(body);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
