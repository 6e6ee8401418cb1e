package dev.sigil.bpf.attach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.testing.CLayouts;
import dev.sigil.bpf.testing.CLayouts.Mirror;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ELF64 layouts {@link ElfSymbols} reads, field by field against the C library's {@code <elf.h>}, with gcc. */
class ElfLayoutIT {
    private static final List<Mirror> MIRRORS = List.of(
            new Mirror(ElfSymbols.EHDR, "Elf64_Ehdr", "", true),
            new Mirror(ElfSymbols.SHDR, "Elf64_Shdr", "", true),
            new Mirror(ElfSymbols.SYM, "Elf64_Sym", "", true),
            new Mirror(ElfSymbols.PHDR, "Elf64_Phdr", "", true));

    @TempDir
    Path work;

    @Test
    void everyFieldSitsWhereElfHPutsIt() throws Exception {
        Map<String, Long> c = CLayouts.evaluate(work, "#include <elf.h>", CLayouts.expressions(MIRRORS));
        assertThat(CLayouts.assertFieldsMatch(MIRRORS, c)).as("fields checked").isEqualTo(14 + 10 + 6 + 8);
    }
}
