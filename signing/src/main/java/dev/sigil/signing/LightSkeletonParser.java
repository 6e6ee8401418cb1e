package dev.sigil.signing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * {@code struct bpf_prog_desc NAME;}), default attach points from the {@code NAME__PROG__attach} functions,
 * and each program's type and BTF target from its load attributes in the metadata ({@link GenLoaderMetadata}).
 *
 * <p>Hostile input: the header is read line by line with plain string tests, each line once, so the work is
 * linear in its size (no backtracking regular expressions); sizes are parsed with overflow checks.
 */
final class LightSkeletonParser {
    /** Far above any bpftool output (loader and metadata fit in a few MiB of C escapes). */
    static final int MAX_HEADER_CHARS = 64 * 1024 * 1024;
    private static final String LOADER_CTX = "struct bpf_loader_ctx ctx;";

    /** The byte strings a light skeleton carries, by where bpftool puts them. */
    private enum Blob {
        METADATA("metadata (opts.data / opts_data)", "opts.data = (void *)\"", "opts_data", "opts.data_sz = "),
        LOADER("loader instructions (opts.insns / opts_insn)", "opts.insns = (void *)\"", "opts_insn", "opts.insns_sz = "),
        SIGNATURE("signature (opts_sig)", null, "opts_sig", null),
        EXCLUSIVE_PROGRAM_HASH("exclusive program hash (opts_excl_hash)", null, "opts_excl_hash", null);

        final String description;
        final String assignment;
        final String array;
        final String declaredSize;

        Blob(String description, String assignment, String array, String declaredSize) {
            this.description = description;
            this.assignment = assignment;
            this.array = array;
            this.declaredSize = declaredSize;
        }
    }

    private record Located(byte[] bytes, int line) {
    }

    private record Struct(String name, int line, List<String> maps, List<String> programs) {
    }

    private final String text;
    private final String sourceName;
    private final SourceLines lines;

    private LightSkeletonParser(String text, String sourceName) {
        this.text = text;
        this.sourceName = sourceName;
        this.lines = new SourceLines(text);
    }

    static LightSkeleton parse(String text, String sourceName) throws SkeletonFormatException {
        if (text.length() > MAX_HEADER_CHARS) {
            throw new SkeletonFormatException(sourceName, 0, "is " + text.length() + " characters long; a light skeleton "
                    + "header is at most " + MAX_HEADER_CHARS);
        }
        return new LightSkeletonParser(text, sourceName).parse();
    }

    private LightSkeleton parse() throws SkeletonFormatException {
        Struct struct = skeletonStruct();
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
        List<ProgramLoad> loads = programLoads(struct, loader, metadata);
        Map<String, AttachHint> defaultAttach = new SkeletonAttachFunctions(text, sourceName, lines)
                .defaultAttach(struct.name(), struct.programs(), loads);
        return new LightSkeleton(struct.name(), loader.bytes(), metadata.bytes(), struct.maps(), struct.programs(),
                defaultAttach, loads, Optional.ofNullable(blobs.get(Blob.SIGNATURE)).map(Located::bytes), exclusiveHash);
    }

    /** {@code struct NAME {} followed by {@code struct bpf_loader_ctx ctx;}, up to the line {@code };}. */
    private Struct skeletonStruct() throws SkeletonFormatException {
        for (int i = 0; i < lines.count(); i++) {
            String line = lines.line(i);
            // "struct {" starts with "struct " and ends with " {" through the same space: no name between them.
            if (!line.startsWith("struct ") || !line.endsWith(" {") || line.length() < "struct  {".length()) {
                continue;
            }
            String name = line.substring("struct ".length(), line.length() - 2);
            int next = nextNonBlank(i + 1);
            if (!isIdentifier(name) || next < 0 || !lines.line(next).strip().equals(LOADER_CTX)) {
                continue;
            }
            List<String> maps = new ArrayList<>();
            List<String> programs = new ArrayList<>();
            for (int j = next + 1; j < lines.count(); j++) {
                String member = lines.line(j);
                if (member.startsWith("};")) {
                    if (programs.isEmpty()) {
                        throw new SkeletonFormatException(sourceName, i + 1, "struct " + name
                                + " declares no programs (no 'struct bpf_prog_desc NAME;')");
                    }
                    return new Struct(name, i + 1, maps, programs);
                }
                declared(member, "struct bpf_map_desc ").ifPresent(maps::add);
                declared(member, "struct bpf_prog_desc ").ifPresent(programs::add);
            }
            throw new SkeletonFormatException(sourceName, i + 1, "struct " + name + " is not closed by '};'");
        }
        throw new SkeletonFormatException(sourceName, 0, text.contains("struct bpf_object_skeleton")
                ? "this is a regular BPF skeleton; Sigil needs a light skeleton (bpftool gen skeleton -L)"
                : "not a light skeleton header: no 'struct NAME { struct bpf_loader_ctx ctx; ...' "
                        + "(generate one with bpftool gen skeleton -L)");
    }

    private int nextNonBlank(int from) {
        for (int i = from; i < lines.count(); i++) {
            if (!lines.line(i).isBlank()) {
                return i;
            }
        }
        return -1;
    }

    /** {@code NAME} of a member line {@code <type>NAME;}. */
    private static Optional<String> declared(String line, String type) {
        String member = line.strip();
        if (!member.startsWith(type) || !member.endsWith(";")) {
            return Optional.empty();
        }
        String name = member.substring(type.length(), member.length() - 1);
        return isIdentifier(name) ? Optional.of(name) : Optional.empty();
    }

    private Map<Blob, Located> blobs() throws SkeletonFormatException {
        Map<Blob, Located> found = new EnumMap<>(Blob.class);
        Map<Blob, Long> declaredSizes = new EnumMap<>(Blob.class);
        Map<Blob, Integer> declaredOn = new EnumMap<>(Blob.class);
        int i = 0;
        while (i < lines.count()) {
            String line = lines.line(i);
            for (Blob blob : Blob.values()) {
                if (blob.declaredSize != null && !declaredSizes.containsKey(blob)) {
                    Optional<Long> size = declaredSize(line, blob, i + 1);
                    if (size.isPresent()) {
                        declaredSizes.put(blob, size.get());
                        declaredOn.put(blob, i + 1);
                    }
                }
            }
            Optional<Map.Entry<Blob, Integer>> marker = blobMarker(line);
            if (marker.isEmpty()) {
                i++;
                continue;
            }
            Blob blob = marker.get().getKey();
            if (found.containsKey(blob)) {
                throw new SkeletonFormatException(sourceName, i + 1, "second definition of the " + blob.description
                        + " (the first is on line " + found.get(blob).line() + ")");
            }
            CStringLiteral.Decoded literal = CStringLiteral.decode(text, lines.start(i) + marker.get().getValue(), i + 1,
                    sourceName);
            found.put(blob, new Located(literal.bytes(), i + 1));
            // The rest of the literal's last line is its ';': scanning goes on after it.
            i = lines.indexOf(literal.end()) + 1;
        }
        for (Map.Entry<Blob, Long> declared : declaredSizes.entrySet()) {
            Located located = found.get(declared.getKey());
            if (located != null && declared.getValue() != located.bytes().length) {
                throw new SkeletonFormatException(sourceName, declaredOn.get(declared.getKey()), "the "
                        + declared.getKey().description + " are declared as " + declared.getValue()
                        + " bytes but the literal on line " + located.line() + " holds " + located.bytes().length
                        + " (truncated or edited?)");
            }
        }
        return found;
    }

    /** The blob a line starts, and the offset of its opening quote in the line. */
    private static Optional<Map.Entry<Blob, Integer>> blobMarker(String line) {
        for (Blob blob : Blob.values()) {
            if (blob.assignment != null) {
                int at = line.indexOf(blob.assignment);
                if (at >= 0) {
                    return Optional.of(Map.entry(blob, at + blob.assignment.length() - 1));
                }
            }
        }
        String declaration = line.strip();
        String prefix = "static const char ";
        if (!declaration.startsWith(prefix)) {
            return Optional.empty();
        }
        for (Blob blob : Blob.values()) {
            if (declaration.startsWith(prefix + blob.array + "[]")) {
                int after = line.indexOf(blob.array + "[]") + blob.array.length() + 2;
                int assign = line.indexOf("= \"", after);
                if (assign >= 0 && noneOf(line, after, assign, "=;\"")) {
                    return Optional.of(Map.entry(blob, assign + 2));
                }
            }
        }
        return Optional.empty();
    }

    /** {@code opts.insns_sz = N;} as bpftool 7.1 writes it; other forms ({@code sizeof(...) - 1}) state no number. */
    private Optional<Long> declaredSize(String line, Blob blob, int lineNumber) throws SkeletonFormatException {
        String statement = line.strip();
        if (!statement.startsWith(blob.declaredSize) || !statement.endsWith(";")) {
            return Optional.empty();
        }
        String digits = statement.substring(blob.declaredSize.length(), statement.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        long value = 0;
        for (int k = 0; k < digits.length(); k++) {
            value = value * 10 + (digits.charAt(k) - '0');
            if (value > Integer.MAX_VALUE) {
                throw new SkeletonFormatException(sourceName, lineNumber, "the " + blob.description + " are declared as "
                        + (digits.length() > 40 ? digits.substring(0, 40) + "…" : digits) + " bytes, more than a "
                        + "light skeleton can hold (at most " + Integer.MAX_VALUE + ")");
            }
        }
        return Optional.of(value);
    }

    private List<ProgramLoad> programLoads(Struct struct, Located loader, Located metadata) throws SkeletonFormatException {
        List<ProgramLoad> loads;
        try {
            loads = GenLoaderMetadata.programs(loader.bytes(), metadata.bytes());
        } catch (VerificationException e) {
            throw new SkeletonFormatException(sourceName, metadata.line(), e.getMessage());
        }
        boolean matches = loads.size() == struct.programs().size();
        for (int k = 0; matches && k < loads.size(); k++) {
            matches = loads.get(k).isLoadOf(struct.programs().get(k));
        }
        if (!matches) {
            throw new SkeletonFormatException(sourceName, loader.line(), "the loader loads programs "
                    + loads.stream().map(ProgramLoad::name).toList() + " but struct " + struct.name() + " declares "
                    + struct.programs());
        }
        return loads;
    }

    private Located require(Map<Blob, Located> blobs, Blob blob) throws SkeletonFormatException {
        Located located = blobs.get(blob);
        if (located == null) {
            throw new SkeletonFormatException(sourceName, 0, "no " + blob.description + " found");
        }
        return located;
    }

    private static boolean noneOf(String line, int from, int to, String characters) {
        for (int k = from; k < to; k++) {
            if (characters.indexOf(line.charAt(k)) >= 0) {
                return false;
            }
        }
        return true;
    }

    static boolean isIdentifier(String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        return name.chars().allMatch(c -> c == '_' || (c < 128 && Character.isLetterOrDigit(c)));
    }
}
