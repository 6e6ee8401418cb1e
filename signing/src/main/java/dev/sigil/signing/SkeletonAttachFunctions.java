package dev.sigil.signing;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code NAME__PROG__attach} functions of a light skeleton header, read in one pass over its lines: where
 * each program attaches by default.
 */
final class SkeletonAttachFunctions {
    private static final String RAW_TRACEPOINT_OPEN = "skel_raw_tracepoint_open(";

    private final String text;
    private final String sourceName;
    private final SourceLines lines;

    SkeletonAttachFunctions(String text, String sourceName, SourceLines lines) {
        this.text = text;
        this.sourceName = sourceName;
        this.lines = lines;
    }

    /**
     * bpftool names a target only for raw tracepoints ({@code skel_raw_tracepoint_open("sys_enter", prog_fd)}).
     * Tracing and LSM programs attach with {@code skel_raw_tracepoint_open(NULL, prog_fd)}: at their own BTF
     * target, which their load attributes name. Iterators ({@code skel_link_create(prog_fd, 0, BPF_TRACE_ITER)})
     * and every other type ({@code ((void)prog_fd, 0); auto-attach not supported}) have no default.
     */
    Map<String, AttachHint> defaultAttach(String skeleton, List<String> programs, List<ProgramLoad> loads)
            throws SkeletonFormatException {
        Map<String, String> programOfHeader = new HashMap<>();
        for (String program : programs) {
            programOfHeader.put(skeleton + "__" + program + "__attach(struct " + skeleton + " *skel)", program);
        }
        Map<String, ProgramLoad> loadOf = new HashMap<>();
        for (int k = 0; k < loads.size(); k++) {
            loadOf.putIfAbsent(programs.get(k), loads.get(k));
        }
        Map<String, AttachHint> defaults = new LinkedHashMap<>();
        Map<String, Integer> functionLine = new HashMap<>();
        String current = null;
        for (int i = 0; i < lines.count(); i++) {
            String line = lines.line(i);
            if (current == null) {
                String program = programOfHeader.get(line.strip().endsWith("{")
                        ? line.strip().substring(0, line.strip().length() - 1).strip() : line.strip());
                if (program != null && !functionLine.containsKey(program)) {
                    current = program;
                    functionLine.put(program, i + 1);
                }
            } else if (line.startsWith("}")) {
                current = null;
            } else if (line.contains(RAW_TRACEPOINT_OPEN) && !defaults.containsKey(current)) {
                Optional<AttachHint> hint = rawTracepointOpen(current, i, loadOf.get(current));
                if (hint.isPresent()) {
                    defaults.put(current, hint.get());
                }
            }
        }
        if (current != null) {
            throw new SkeletonFormatException(sourceName, functionLine.get(current),
                    "attach function for program " + current + " is not closed");
        }
        Map<String, AttachHint> ordered = new LinkedHashMap<>();
        for (String program : programs) {
            if (!functionLine.containsKey(program)) {
                throw new SkeletonFormatException(sourceName, 0, "no attach function " + skeleton + "__" + program
                        + "__attach for program " + program);
            }
            if (defaults.containsKey(program)) {
                ordered.put(program, defaults.get(program));
            }
        }
        return ordered;
    }

    /** The target of {@code skel_raw_tracepoint_open(TARGET, prog_fd)} on line {@code index}. */
    private Optional<AttachHint> rawTracepointOpen(String program, int index, ProgramLoad load) throws SkeletonFormatException {
        String line = lines.line(index);
        int argument = line.indexOf(RAW_TRACEPOINT_OPEN) + RAW_TRACEPOINT_OPEN.length();
        while (argument < line.length() && Character.isWhitespace(line.charAt(argument))) {
            argument++;
        }
        if (line.startsWith("NULL", argument)) {
            return load.ownBtfAttach();
        }
        if (!line.startsWith("\"", argument)) {
            return Optional.empty();
        }
        byte[] target = CStringLiteral.decode(text, lines.start(index) + argument, index + 1, sourceName).bytes();
        String tracepoint = new String(target, StandardCharsets.UTF_8);
        if (tracepoint.isEmpty()) {
            throw new SkeletonFormatException(sourceName, index + 1, "program " + program
                    + " attaches to a raw tracepoint with an empty name");
        }
        return Optional.of(new AttachHint("raw_tracepoint", tracepoint));
    }
}
