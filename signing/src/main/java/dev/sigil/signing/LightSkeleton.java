package dev.sigil.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a light skeleton header ({@code bpftool gen skeleton -L}, optionally {@code -S}) carries.
 *
 * @param name                 the skeleton's name ({@code struct NAME})
 * @param loaderInstructions   the unsigned loader {@code L0} (BPF_PROG_TYPE_SYSCALL instructions)
 * @param metadata             the blob the loader reads: programs, maps, BTF, initial data
 * @param mapNames             maps in skeleton order (internal maps by their short name, e.g. {@code data})
 * @param programNames         programs in skeleton order
 * @param defaultAttach        the attach point bpftool's generated {@code __attach} function names, per program
 *                             that has one: a raw tracepoint by name, or, for {@code skel_raw_tracepoint_open(NULL, fd)},
 *                             the program's own BTF target (tp_btf, fentry, fexit, lsm) from its load attributes
 * @param programLoads         each program's load attributes (type, expected attach type, BTF target), in skeleton order
 * @param signature            the CMS signature {@code bpftool -S} embeds (over {@code loaderInstructions})
 * @param exclusiveProgramHash SHA-256 of {@code loaderInstructions} that {@code bpftool -S} embeds
 */
public record LightSkeleton(String name, byte[] loaderInstructions, byte[] metadata,
        List<String> mapNames, List<String> programNames, Map<String, AttachHint> defaultAttach,
        List<ProgramLoad> programLoads, Optional<byte[]> signature, Optional<byte[]> exclusiveProgramHash) {

    public LightSkeleton {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loaderInstructions, "loaderInstructions");
        Objects.requireNonNull(metadata, "metadata");
        mapNames = List.copyOf(mapNames);
        programNames = List.copyOf(programNames);
        defaultAttach = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(defaultAttach));
        programLoads = List.copyOf(programLoads);
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(exclusiveProgramHash, "exclusiveProgramHash");
    }

    public static LightSkeleton parse(Path header) throws SkeletonFormatException {
        String text;
        try {
            if (Files.size(header) > LightSkeletonParser.MAX_HEADER_CHARS) {
                throw new SkeletonFormatException(header.toString(), 0, "is " + Files.size(header)
                        + " bytes long; a light skeleton header is at most " + LightSkeletonParser.MAX_HEADER_CHARS);
            }
            text = Files.readString(header, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new SkeletonFormatException(header.toString(), 0, "is not UTF-8 text (bpftool writes ASCII)");
        } catch (IOException e) {
            throw new SkeletonFormatException(header.toString(), 0, "cannot read: " + e);
        }
        return parse(text, header.toString());
    }

    /** @param sourceName how errors name the input, e.g. its file name */
    public static LightSkeleton parse(String text, String sourceName) throws SkeletonFormatException {
        return LightSkeletonParser.parse(text, sourceName);
    }
}
