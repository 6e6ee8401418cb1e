package dev.sigil.bpf.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.signing.testing.Shell;
import dev.sigil.bpf.testing.TargetBinary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbol to file offset in binaries gcc makes here, checked against objdump's own reading, and hostile or
 * broken files refused with one line naming the file and what is wrong, without reading past the file or
 * allocating by what the file claims.
 */
class ElfSymbolsTest {
    private static final Pattern FILE_OFFSET = Pattern.compile("<sigil_target> \\(File Offset: 0x([0-9a-f]+)\\)");

    @TempDir
    static Path work;
    private static TargetBinary pie;

    @BeforeAll
    static void compile() throws Exception {
        pie = TargetBinary.compile(work);
    }

    /** What objdump says the function's file offset is. */
    private static long objdumpOffset(Path binary) {
        Matcher match = FILE_OFFSET.matcher(Shell.run("objdump", "-d", "-F", "--disassemble=" + TargetBinary.FUNCTION,
                binary.toString()));
        assertThat(match.find()).as("objdump names the function").isTrue();
        return Long.parseLong(match.group(1), 16);
    }

    private static Path variant(String name, String... flags) throws Exception {
        Path directory = Files.createDirectories(work.resolve(name));
        return TargetBinary.compile(directory, flags).path();
    }

    @Test
    void findsTheFunctionWhereObjdumpDoesInPositionIndependentAndFixedExecutables() throws Exception {
        assertThat(ElfSymbols.fileOffset(pie.path(), TargetBinary.FUNCTION, 0)).isEqualTo(objdumpOffset(pie.path()));
        Path fixed = variant("no-pie", "-no-pie");
        assertThat(ElfSymbols.fileOffset(fixed, TargetBinary.FUNCTION, 0)).isEqualTo(objdumpOffset(fixed));
        assertThat(ElfSymbols.fileOffset(pie.path(), TargetBinary.FUNCTION, 3)).isEqualTo(objdumpOffset(pie.path()) + 3);
    }

    @Test
    void findsAnExportedFunctionOfAStrippedSharedLibraryInItsDynamicSymbols() throws Exception {
        Path library = variant("shared", "-shared", "-fPIC");
        long before = ElfSymbols.fileOffset(library, TargetBinary.FUNCTION, 0);
        Shell.run("strip", "--strip-all", library.toString());

        assertThat(ElfSymbols.fileOffset(library, TargetBinary.FUNCTION, 0)).isEqualTo(before);
    }

    @Test
    void namesWhatIsMissing() throws Exception {
        assertThatThrownBy(() -> ElfSymbols.fileOffset(pie.path(), "sigil_no_such_function", 0))
                .isInstanceOf(IOException.class).hasMessageContaining("has no function sigil_no_such_function in .symtab or .dynsym");
        assertThatThrownBy(() -> ElfSymbols.fileOffset(pie.path(), "printf", 0)).as("an import is no definition")
                .isInstanceOf(IOException.class).hasMessageContaining("has no function printf");
        assertThatThrownBy(() -> ElfSymbols.fileOffset(pie.path(), TargetBinary.FUNCTION, 4096))
                .isInstanceOf(IOException.class).hasMessageContaining("past the end of sigil_target");
        assertThatThrownBy(() -> ElfSymbols.fileOffset(work.resolve("missing"), TargetBinary.FUNCTION, 0))
                .isInstanceOf(NoSuchFileException.class);
        Path stripped = variant("stripped");
        Shell.run("strip", "--strip-all", stripped.toString());
        assertThatThrownBy(() -> ElfSymbols.fileOffset(stripped, TargetBinary.FUNCTION, 0))
                .isInstanceOf(IOException.class).hasMessageContaining("has no function sigil_target");
    }

    @Test
    void refusesAFunctionNameDefinedAtTwoAddresses() throws Exception {
        Path directory = Files.createDirectories(work.resolve("twice"));
        Files.writeString(directory.resolve("a.c"), "static int helper(int x) { return x + 1; }\nint a(int x) { return helper(x); }\n");
        Files.writeString(directory.resolve("b.c"), "static int helper(int x) { return x * 2; }\nint b(int x) { return helper(x); }\n"
                + "int a(int);\nint main(void) { return a(1) + b(2) - 6; }\n");
        Path binary = directory.resolve("twice");
        Shell.run("gcc", "-O0", "-o", binary.toString(), directory.resolve("a.c").toString(), directory.resolve("b.c").toString());

        assertThatThrownBy(() -> ElfSymbols.fileOffset(binary, "helper", 0))
                .isInstanceOf(IOException.class).hasMessageContaining("defines helper at 2 addresses");
    }

    @Test
    void refusesWhatIsNotA64BitLittleEndianExecutable() throws Exception {
        Path text = Files.writeString(work.resolve("script.sh"), "#!/bin/sh\necho hello\n");
        assertThatThrownBy(() -> ElfSymbols.fileOffset(text, "main", 0))
                .isInstanceOf(IOException.class).hasMessage(text + " is not an ELF file");

        byte[] bytes = Files.readAllBytes(pie.path());
        bytes[4] = 1;
        Path elf32 = Files.write(work.resolve("class32"), bytes);
        assertThatThrownBy(() -> ElfSymbols.fileOffset(elf32, TargetBinary.FUNCTION, 0))
                .isInstanceOf(IOException.class).hasMessageContaining("not a 64-bit little-endian ELF file");

        Path directory = Files.createDirectories(work.resolve("object"));
        Files.writeString(directory.resolve("o.c"), "int sigil_target(int x) { return x; }\n");
        Shell.run("gcc", "-c", "-o", directory.resolve("o.o").toString(), directory.resolve("o.c").toString());
        assertThatThrownBy(() -> ElfSymbols.fileOffset(directory.resolve("o.o"), TargetBinary.FUNCTION, 0))
                .isInstanceOf(IOException.class).hasMessageContaining("not an executable or shared object");
    }

    @Test
    void refusesASymbolTableClaimingMoreThanTheFileHoldsWithoutAllocatingForIt() throws Exception {
        byte[] bytes = Files.readAllBytes(pie.path());
        ByteBuffer elf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long sections = elf.getLong(0x28);
        int size = Short.toUnsignedInt(elf.getShort(0x3a));
        int count = Short.toUnsignedInt(elf.getShort(0x3c));
        for (int i = 0; i < count; i++) {
            int header = (int) (sections + (long) i * size);
            if (elf.getInt(header + 4) == 2) {
                elf.putLong(header + 0x20, 0x7fff_fff0L * 24);
            }
        }
        Path forged = Files.write(work.resolve("forged"), bytes);

        assertThatThrownBy(() -> ElfSymbols.fileOffset(forged, TargetBinary.FUNCTION, 0))
                .isInstanceOf(IOException.class).hasMessageContaining("outside the file");
    }

    @Test
    void refusesATruncatedFile() throws Exception {
        byte[] bytes = Files.readAllBytes(pie.path());
        Path truncated = Files.write(work.resolve("truncated"), Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> ElfSymbols.fileOffset(truncated, TargetBinary.FUNCTION, 0))
                .isInstanceOf(IOException.class).hasMessageContaining(truncated.toString());
    }
}
