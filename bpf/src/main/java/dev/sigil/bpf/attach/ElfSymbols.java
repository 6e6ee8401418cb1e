package dev.sigil.bpf.attach;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a function of a user-space binary starts in its file, which is what a uprobe is placed at: the
 * symbol's value from {@code .symtab} or {@code .dynsym}, turned into a file offset through the executable
 * {@code PT_LOAD} segment holding it ({@code value - p_vaddr + p_offset}).
 *
 * <p>A minimal reader of ELF64 little-endian files (x86_64, aarch64) of only that, every byte layout here
 * ({@code <elf.h>}, checked with gcc by {@code ElfLayoutIT}). Not {@code net.fornwall:jelf}, the ELF library on
 * Maven Central: its 0.9.0 builds every symbol of a table eagerly from the section's claimed size, so one forged
 * {@code sh_size} in a binary on the node makes the agent allocate gigabytes (tested: OutOfMemoryError). Here
 * the file is mapped, never copied; every offset is checked against the file before it is read; nothing is
 * allocated per symbol, and names are compared in place.
 */
final class ElfSymbols {
    private static final ValueLayout.OfShort U16 = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static final StructLayout EHDR = structLayout(sequenceLayout(16, JAVA_BYTE).withName("e_ident"),
            U16.withName("e_type"), U16.withName("e_machine"), U32.withName("e_version"), U64.withName("e_entry"),
            U64.withName("e_phoff"), U64.withName("e_shoff"), U32.withName("e_flags"), U16.withName("e_ehsize"),
            U16.withName("e_phentsize"), U16.withName("e_phnum"), U16.withName("e_shentsize"), U16.withName("e_shnum"),
            U16.withName("e_shstrndx")).withName("Elf64_Ehdr");
    static final StructLayout SHDR = structLayout(U32.withName("sh_name"), U32.withName("sh_type"),
            U64.withName("sh_flags"), U64.withName("sh_addr"), U64.withName("sh_offset"), U64.withName("sh_size"),
            U32.withName("sh_link"), U32.withName("sh_info"), U64.withName("sh_addralign"), U64.withName("sh_entsize"))
            .withName("Elf64_Shdr");
    static final StructLayout SYM = structLayout(U32.withName("st_name"), JAVA_BYTE.withName("st_info"),
            JAVA_BYTE.withName("st_other"), U16.withName("st_shndx"), U64.withName("st_value"), U64.withName("st_size"))
            .withName("Elf64_Sym");
    static final StructLayout PHDR = structLayout(U32.withName("p_type"), U32.withName("p_flags"),
            U64.withName("p_offset"), U64.withName("p_vaddr"), U64.withName("p_paddr"), U64.withName("p_filesz"),
            U64.withName("p_memsz"), U64.withName("p_align")).withName("Elf64_Phdr");

    private static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final int ELFCLASS64 = 2;
    private static final int ELFDATA2LSB = 1;
    private static final int ET_EXEC = 2;
    private static final int ET_DYN = 3;
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final int STT_FUNC = 2;
    private static final int STT_GNU_IFUNC = 10;
    private static final int SHN_UNDEF = 0;
    private static final int PT_LOAD = 1;
    private static final int PF_X = 1;

    private ElfSymbols() {
    }

    /** A function symbol: its value (virtual address) and size. */
    record FunctionSymbol(long value, long size) {
    }

    /**
     * The file offset of {@code symbol} plus {@code offset} in {@code binary}.
     *
     * @throws IOException naming the binary and what is wrong: missing, not an ELF64 executable or shared object,
     *     no such function, a symbol defined at more than one address, an offset past the function's end, or a
     *     malformed file
     */
    static long fileOffset(Path binary, String symbol, long offset) throws IOException {
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(binary, StandardOpenOption.READ)) {
            MemorySegment elf = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            try {
                requireElf64(binary, elf);
                FunctionSymbol function = find(binary, elf, symbol);
                if (function.size() > 0 && Long.compareUnsigned(offset, function.size()) >= 0) {
                    throw new IOException(binary + ": offset +0x" + Long.toHexString(offset) + " is past the end of "
                            + symbol + " (" + function.size() + " bytes)");
                }
                return segmentOffset(binary, elf, function.value() + offset);
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                throw new IOException(binary + " is a malformed ELF file: " + e.getMessage(), e);
            }
        }
    }

    private static void requireElf64(Path binary, MemorySegment elf) throws IOException {
        if (elf.byteSize() < EHDR.byteSize()
                || MemorySegment.mismatch(elf, 0, MAGIC.length, MemorySegment.ofArray(MAGIC), 0, MAGIC.length) != -1) {
            throw new IOException(binary + " is not an ELF file");
        }
        byte[] ident = elf.asSlice(0, 16).toArray(JAVA_BYTE);
        if (ident[4] != ELFCLASS64 || ident[5] != ELFDATA2LSB) {
            throw new IOException(binary + " is not a 64-bit little-endian ELF file (class " + ident[4] + ", data "
                    + ident[5] + "); Sigil places uprobes in ELF64 little-endian binaries only");
        }
        int type = Short.toUnsignedInt(elf.get(U16, offset(EHDR, "e_type")));
        if (type != ET_EXEC && type != ET_DYN) {
            throw new IOException(binary + " is not an executable or shared object (ELF type " + type + ")");
        }
    }

    /** The one defined function named {@code symbol}, from both symbol tables. */
    private static FunctionSymbol find(Path binary, MemorySegment elf, String symbol) throws IOException {
        byte[] wanted = symbol.getBytes(StandardCharsets.US_ASCII);
        long sections = elf.get(U64, offset(EHDR, "e_shoff"));
        int sectionSize = Short.toUnsignedInt(elf.get(U16, offset(EHDR, "e_shentsize")));
        long count = sectionCount(elf, sections, sectionSize);
        Set<FunctionSymbol> found = new LinkedHashSet<>();
        boolean anyTable = false;
        for (long i = 0; i < count; i++) {
            long header = sections + i * sectionSize;
            int type = elf.get(U32, header + offset(SHDR, "sh_type"));
            if (type != SHT_SYMTAB && type != SHT_DYNSYM) {
                continue;
            }
            anyTable = true;
            long link = Integer.toUnsignedLong(elf.get(U32, header + offset(SHDR, "sh_link")));
            if (link >= count) {
                throw new IOException(binary + ": symbol table " + i + " links to no string table");
            }
            MemorySegment names = section(elf, sections + link * sectionSize, 1);
            MemorySegment table = section(elf, header, SYM.byteSize());
            for (long at = 0; at + SYM.byteSize() <= table.byteSize(); at += SYM.byteSize()) {
                int info = Byte.toUnsignedInt(table.get(JAVA_BYTE, at + offset(SYM, "st_info")));
                int symbolType = info & 0xf;
                if ((symbolType == STT_FUNC || symbolType == STT_GNU_IFUNC)
                        && Short.toUnsignedInt(table.get(U16, at + offset(SYM, "st_shndx"))) != SHN_UNDEF
                        && named(names, Integer.toUnsignedLong(table.get(U32, at + offset(SYM, "st_name"))), wanted)) {
                    found.add(new FunctionSymbol(table.get(U64, at + offset(SYM, "st_value")),
                            table.get(U64, at + offset(SYM, "st_size"))));
                }
            }
        }
        if (found.isEmpty()) {
            throw new IOException(binary + " has no function " + symbol + (anyTable ? " in .symtab or .dynsym"
                    : ": it has no symbol table (stripped)"));
        }
        Set<String> addresses = new TreeSet<>();
        found.forEach(function -> addresses.add("0x" + Long.toHexString(function.value())));
        if (addresses.size() > 1) {
            throw new IOException(binary + " defines " + symbol + " at " + addresses.size() + " addresses " + addresses
                    + ": name one with a unique symbol");
        }
        return found.iterator().next();
    }

    /** e_shnum, or for 0xff00 sections and more (e_shnum 0) section 0's sh_size. */
    private static long sectionCount(MemorySegment elf, long sections, int sectionSize) throws IOException {
        if (sections == 0) {
            return 0;
        }
        if (sectionSize != SHDR.byteSize()) {
            throw new IOException("section headers of " + sectionSize + " bytes, not " + SHDR.byteSize());
        }
        long count = Short.toUnsignedInt(elf.get(U16, offset(EHDR, "e_shnum")));
        return count != 0 ? count : elf.get(U64, sections + offset(SHDR, "sh_size"));
    }

    /** A section's bytes, checked to lie in the file, with entries of {@code entrySize} bytes where that is fixed. */
    private static MemorySegment section(MemorySegment elf, long header, long entrySize) throws IOException {
        long start = elf.get(U64, header + offset(SHDR, "sh_offset"));
        long size = elf.get(U64, header + offset(SHDR, "sh_size"));
        long entries = elf.get(U64, header + offset(SHDR, "sh_entsize"));
        if (start < 0 || size < 0 || start > elf.byteSize() || size > elf.byteSize() - start) {
            throw new IOException("a section at " + start + " of " + size + " bytes lies outside the file");
        }
        if (entrySize > 1 && entries != entrySize) {
            throw new IOException("a symbol table with " + entries + "-byte entries, not " + entrySize);
        }
        return elf.asSlice(start, size);
    }

    /** Whether the NUL-terminated name at {@code at} in the string table is exactly {@code wanted}. */
    private static boolean named(MemorySegment names, long at, byte[] wanted) {
        if (at > names.byteSize() - wanted.length - 1) {
            return false;
        }
        return names.get(JAVA_BYTE, at + wanted.length) == 0
                && MemorySegment.mismatch(names, at, at + wanted.length, MemorySegment.ofArray(wanted), 0, wanted.length) == -1;
    }

    /** The file offset of {@code address}, through the executable PT_LOAD segment holding it. */
    private static long segmentOffset(Path binary, MemorySegment elf, long address) throws IOException {
        long headers = elf.get(U64, offset(EHDR, "e_phoff"));
        int headerSize = Short.toUnsignedInt(elf.get(U16, offset(EHDR, "e_phentsize")));
        int count = Short.toUnsignedInt(elf.get(U16, offset(EHDR, "e_phnum")));
        if (count > 0 && headerSize != PHDR.byteSize()) {
            throw new IOException(binary + ": program headers of " + headerSize + " bytes, not " + PHDR.byteSize());
        }
        for (int i = 0; i < count; i++) {
            long header = headers + (long) i * headerSize;
            long start = elf.get(U64, header + offset(PHDR, "p_vaddr"));
            long size = elf.get(U64, header + offset(PHDR, "p_filesz"));
            if (elf.get(U32, header + offset(PHDR, "p_type")) == PT_LOAD
                    && (elf.get(U32, header + offset(PHDR, "p_flags")) & PF_X) != 0
                    && Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address - start, size) < 0) {
                return address - start + elf.get(U64, header + offset(PHDR, "p_offset"));
            }
        }
        throw new IOException(binary + ": address 0x" + Long.toHexString(address)
                + " is in no executable segment of the file");
    }

    private static long offset(StructLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }
}
