package dev.sigil.bpf.loader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.testing.CLayouts;
import dev.sigil.bpf.testing.CLayouts.Mirror;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader context's layout is libbpf's, not the kernel's: checked against {@code skel_internal.h}
 * (the header every {@code bpftool gen skeleton -L} output includes), compiled with gcc.
 */
class LoaderContextLayoutIT {
    private static final List<Mirror> MIRRORS = List.of(
            new Mirror(LoaderContext.HEADER, "struct bpf_loader_ctx", "", true),
            new Mirror(LoaderContext.MAP_DESC, "struct bpf_map_desc", "", true),
            new Mirror(LoaderContext.PROG_DESC, "struct bpf_prog_desc", "", true));

    @TempDir
    Path work;

    @Test
    void matchesLibbpfsSkeletonHeader() throws Exception {
        // skel_internal.h uses errno and EINVAL without including errno.h: generated skeletons include it first.
        Map<String, Long> c = CLayouts.evaluate(work, "#include <errno.h>\n#include <bpf/skel_internal.h>",
                CLayouts.expressions(MIRRORS));

        assertThat(CLayouts.assertFieldsMatch(MIRRORS, c)).as("fields checked").isEqualTo(9);
        LoaderContext twoMapsOneProgram = new LoaderContext(2, 1);
        assertThat(twoMapsOneProgram.size()).isEqualTo(c.get("sizeof(struct bpf_loader_ctx)")
                + 2 * c.get("sizeof(struct bpf_map_desc)") + c.get("sizeof(struct bpf_prog_desc)"));
        assertThat(twoMapsOneProgram.programFdOffset(0)).isEqualTo(c.get("sizeof(struct bpf_loader_ctx)")
                + 2 * c.get("sizeof(struct bpf_map_desc)"));
    }
}
