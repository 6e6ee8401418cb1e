package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.signing.testing.Shell;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LightSkeletonTest {
    private static final String SIGNED_FIXTURE = "skeletons/counter-bpftool-signed.lskel.h";

    /**
     * Compiles a tiny C program against the header with the host compiler, replacing libbpf's
     * bpf_load_and_run with a function that dumps the loader and metadata: the compiler's own reading
     * of the string literals, to compare ours with.
     */
    private static final String DUMP_HARNESS = """
            #include <errno.h>
            #include <stdio.h>
            #include <bpf/skel_internal.h>
            static int sigil_dump(struct bpf_load_and_run_opts *opts)
            {
                FILE *insns = fopen("insns.bin", "wb"), *data = fopen("data.bin", "wb");
                fwrite(opts->insns, 1, opts->insns_sz, insns);
                fwrite(opts->data, 1, opts->data_sz, data);
                fclose(insns);
                fclose(data);
                return -1;
            }
            #define bpf_load_and_run sigil_dump
            #include "skeleton.h"
            #define CALL(skel, fn) skel##fn
            #define XCALL(skel, fn) CALL(skel, fn)
            int main(void)
            {
                struct SKEL *skel = XCALL(SKEL, __open)();
                return skel && XCALL(SKEL, __load)(skel) == -1 ? 0 : 1;
            }
            """;

    @Test
    void anAnonymousStructBeforeTheSkeletonIsPassedOver() throws SkeletonFormatException {
        // Found by LightSkeletonFuzzTest: "struct {" once made the importer throw StringIndexOutOfBoundsException.
        LightSkeleton skeleton = LightSkeleton.parse("struct {\n};\n" + CounterSkeleton.text(), "anonymous.h");

        assertThat(skeleton.name()).isEqualTo("counter");
        assertThat(skeleton.programNames()).containsExactly("count_sys_enter");
    }

    @Test
    void importsTheExampleSkeletonMadeByBpftool() {
        LightSkeleton skeleton = CounterSkeleton.parsed();

        assertThat(skeleton.name()).isEqualTo("counter");
        assertThat(skeleton.mapNames()).containsExactly("counts", "data");
        assertThat(skeleton.programNames()).containsExactly("count_sys_enter");
        assertThat(skeleton.defaultAttach()).containsEntry("count_sys_enter", new AttachHint("raw_tracepoint", "sys_enter"));
        assertThat(skeleton.signature()).isEmpty();
        assertThat(skeleton.exclusiveProgramHash()).isEmpty();
        assertThat(skeleton.loaderInstructions().length % 8).isZero();
        // bpftool's loader starts by saving its context pointer: r6 = r1 (mov64 r6, r1 = bf 16).
        assertThat(HexFormat.of().formatHex(skeleton.loaderInstructions(), 0, 8)).isEqualTo("bf16000000000000");
        // The metadata carries the programs' BTF: its magic 0xeb9f appears in it.
        assertThat(HexFormat.of().formatHex(skeleton.metadata())).contains("9feb0100");
    }

    @Test
    void decodesTheSameBytesAsTheCCompiler(@TempDir Path dir) throws Exception {
        LightSkeleton skeleton = CounterSkeleton.parsed();
        Files.writeString(dir.resolve("skeleton.h"), CounterSkeleton.text());
        Files.writeString(dir.resolve("dump.c"), DUMP_HARNESS);

        Shell.run(dir, Shell.cCompiler(), "-DSKEL=" + skeleton.name(), "-o", "dump", "dump.c");
        Shell.run(dir, dir.resolve("dump").toString());

        assertThat(skeleton.loaderInstructions()).isEqualTo(Files.readAllBytes(dir.resolve("insns.bin")));
        assertThat(skeleton.metadata()).isEqualTo(Files.readAllBytes(dir.resolve("data.bin")));
    }

    @Test
    void importsTheSignedLayoutOfNewerBpftool() throws Exception {
        LightSkeleton skeleton = LightSkeleton.parse(resource(SIGNED_FIXTURE), SIGNED_FIXTURE);

        assertThat(skeleton.name()).isEqualTo("counter");
        assertThat(skeleton.mapNames()).containsExactly("counts", "data");
        assertThat(skeleton.programNames()).containsExactly("count_sys_enter");
        assertThat(skeleton.defaultAttach()).containsEntry("count_sys_enter", new AttachHint("raw_tracepoint", "sys_enter"));
        assertThat(Sha256.hex(skeleton.loaderInstructions()))
                .isEqualTo("f6734461d9fb126dab70fbc0d01f8a21249e66a5e5d06de9af8aba7c80fb78e8");
        assertThat(Sha256.hex(skeleton.metadata()))
                .isEqualTo("c1ba76f13e126e272209db2accc2a51807eab79f602fcf2a39e4bc1cd1933150");
        assertThat(skeleton.exclusiveProgramHash()).hasValue(Sha256.digest(skeleton.loaderInstructions()));
        assertThat(Sha256.hex(skeleton.signature().orElseThrow()))
                .isEqualTo("7965e3bd6b53e500309bfdca1a061f12a6965cb3057e61ee0850478718c2530d");
    }

    @Test
    void theEmbeddedBpftoolSignatureCoversTheLoaderInstructions() throws Exception {
        LightSkeleton skeleton = LightSkeleton.parse(resource(SIGNED_FIXTURE), SIGNED_FIXTURE);
        var certificate = Pem.readCertificates(resource("skeletons/bpftool-signer-cert.pem"), "fixture").getFirst();

        CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(skeleton.loaderInstructions()),
                skeleton.signature().orElseThrow());
        SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();

        assertThat(signer.getSID().getSubjectKeyIdentifier()).isEqualTo(Certificates.subjectKeyId(certificate).orElseThrow());
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(SigningProvider.BC).build(certificate))).isTrue();
    }

    @Test
    void readsAHeaderFromAFile(@TempDir Path dir) throws Exception {
        Path header = dir.resolve("counter.lskel.h");
        Files.writeString(header, CounterSkeleton.text());

        assertThat(LightSkeleton.parse(header).programNames()).containsExactly("count_sys_enter");
    }

    @Test
    void aRawTracepointOpenedWithoutNameHasNoDefaultWhenTheProgramHasNoBtfTarget() throws Exception {
        String text = CounterSkeleton.text().replace("skel_raw_tracepoint_open(\"sys_enter\", prog_fd)",
                "skel_raw_tracepoint_open(NULL, prog_fd)");

        assertThat(LightSkeleton.parse(text, "t.h").defaultAttach()).isEmpty();
    }

    @Test
    void readsEachProgramsLoadAttributesFromTheMetadata() {
        LightSkeleton skeleton = CounterSkeleton.parsed();

        assertThat(skeleton.programLoads()).containsExactly(
                new ProgramLoad("count_sys_enter", ProgramLoad.TYPE_RAW_TRACEPOINT, 0, java.util.Optional.empty()));
    }

    @Test
    void programsBpftoolCannotAutoAttachHaveNoDefaultAttach() throws Exception {
        String text = CounterSkeleton.text().replace("int fd = skel_raw_tracepoint_open(\"sys_enter\", prog_fd);",
                "int fd = ((void)prog_fd, 0); /* auto-attach not supported */");

        assertThat(LightSkeleton.parse(text, "t.h").defaultAttach()).isEmpty();
    }

    @Test
    void rejectsATruncatedLoaderNamingTheSizeLine() {
        String text = CounterSkeleton.text();
        int insns = text.indexOf("opts.insns = (void *)\"");
        String truncated = text.substring(0, insns) + text.substring(insns).replaceFirst("\\\\x95\\\\0\\\\0\\\\0\\\\0\\\\0\\\\0\\\\0\";", "\";");
        int sizeLine = lineOf(text, "opts.insns_sz = ");

        assertThatThrownBy(() -> LightSkeleton.parse(truncated, "counter.lskel.h"))
                .isInstanceOf(SkeletonFormatException.class)
                .hasMessage("counter.lskel.h:" + sizeLine + ": the loader instructions (opts.insns / opts_insn) are declared "
                        + "as 1568 bytes but the literal on line " + (sizeLine + 1) + " holds 1560 (truncated or edited?)");
    }

    @Test
    void rejectsAFileCutOffInsideALiteral() {
        String text = CounterSkeleton.text();
        String cut = text.substring(0, text.indexOf("\\x61\\xa1\\x78\\xff"));

        assertThatThrownBy(() -> LightSkeleton.parse(cut, "counter.lskel.h"))
                .isInstanceOf(SkeletonFormatException.class)
                .hasMessageMatching("counter\\.lskel\\.h:\\d+: string literal is not terminated \\(the file ends inside it\\)");
    }

    @Test
    void rejectsAMalformedEscapeNamingItsLine() {
        String text = CounterSkeleton.text();
        int line = lineOf(text, "\\x9f\\xeb\\x01");
        String broken = text.replace("\\x9f\\xeb\\x01", "\\x9f\\xeb\\q1");

        assertThatThrownBy(() -> LightSkeleton.parse(broken, "counter.lskel.h"))
                .hasMessage("counter.lskel.h:" + line + ": unknown escape sequence \\q");
    }

    @Test
    void rejectsLoaderInstructionsThatAreNotWholeInstructions() {
        String text = CounterSkeleton.text().replace("opts.insns_sz = 1568;", "opts.insns_sz = 1569;")
                .replace("\\x95\\0\\0\\0\\0\\0\\0\\0\";", "\\x95\\0\\0\\0\\0\\0\\0\\0\\0\";");

        assertThatThrownBy(() -> LightSkeleton.parse(text, "t.h"))
                .hasMessageContaining("loader instructions are 1569 bytes, not a whole number of 8-byte BPF instructions");
    }

    @Test
    void rejectsADeclaredSizeThatOverflowsWithAOneLineError() {
        String text = CounterSkeleton.text().replace("opts.insns_sz = 1568;", "opts.insns_sz = 99999999999999999999;");
        int sizeLine = lineOf(text, "opts.insns_sz = ");

        assertThatThrownBy(() -> LightSkeleton.parse(text, "t.h"))
                .isInstanceOf(SkeletonFormatException.class)
                .hasMessage("t.h:" + sizeLine + ": the loader instructions (opts.insns / opts_insn) are declared as "
                        + "99999999999999999999 bytes, more than a light skeleton can hold (at most 2147483647)");
    }

    @Test
    void rejectsAProgramListTheLoaderDoesNotLoad() {
        String text = CounterSkeleton.text().replace("struct bpf_prog_desc count_sys_enter;",
                "struct bpf_prog_desc count_sys_enter;\n\t\tstruct bpf_prog_desc extra;");

        assertThatThrownBy(() -> LightSkeleton.parse(text, "t.h"))
                .hasMessageEndingWith("the loader loads programs [count_sys_enter] but struct counter declares "
                        + "[count_sys_enter, extra]");
    }

    /**
     * Shapes that made the former regular expressions backtrack (issue 10.4: 160,000 lines took 75 s of CPU):
     * long runs of whitespace and near-miss markers before the skeleton. Read line by line, they cost one pass.
     */
    @Test
    void importsAHeaderWithHundredsOfThousandsOfHostileLines() throws Exception {
        String nearMisses = ("struct x {\n" + " \t".repeat(40) + "\n"
                + "static const char opts_data[] __attribute__((aligned)) x" + "(".repeat(200) + "\n"
                + "opts.data_sz = 12;x\n").repeat(40_000);
        String text = nearMisses + CounterSkeleton.text();

        LightSkeleton skeleton = LightSkeleton.parse(text, "hostile.h");

        assertThat(text.lines().count()).isGreaterThan(160_000);
        assertThat(skeleton.metadata()).isEqualTo(CounterSkeleton.parsed().metadata());
    }

    @Test
    void rejectsAHeaderLargerThanAnySkeleton() {
        String huge = "x".repeat(LightSkeletonParser.MAX_HEADER_CHARS + 1);

        assertThatThrownBy(() -> LightSkeleton.parse(huge, "t.h"))
                .hasMessage("t.h: is " + huge.length() + " characters long; a light skeleton header is at most "
                        + LightSkeletonParser.MAX_HEADER_CHARS);
    }

    @Test
    void rejectsARegularSkeleton() {
        String regular = "struct counter {\n\tstruct bpf_object_skeleton *skeleton;\n\tstruct bpf_object *obj;\n};\n";

        assertThatThrownBy(() -> LightSkeleton.parse(regular, "counter.skel.h"))
                .hasMessage("counter.skel.h: this is a regular BPF skeleton; Sigil needs a light skeleton (bpftool gen skeleton -L)");
    }

    @Test
    void rejectsAnythingElse() {
        assertThatThrownBy(() -> LightSkeleton.parse("int main(void) { return 0; }\n", "main.c"))
                .hasMessageStartingWith("main.c: not a light skeleton header");
    }

    @Test
    void rejectsAHeaderWithoutLoaderInstructions() {
        String text = CounterSkeleton.text().replace("opts.insns = (void *)\"", "opts.insns = (void *)0; (\"");

        assertThatThrownBy(() -> LightSkeleton.parse(text, "t.h"))
                .hasMessage("t.h: no loader instructions (opts.insns / opts_insn) found");
    }

    @Test
    void rejectsAProgramWithoutAttachFunction() {
        String text = CounterSkeleton.text().replace("counter__count_sys_enter__attach(struct counter *skel)\n{",
                "renamed(struct counter *skel)\n{");

        assertThatThrownBy(() -> LightSkeleton.parse(text, "t.h"))
                .hasMessage("t.h: no attach function counter__count_sys_enter__attach for program count_sys_enter");
    }

    @Test
    void reportsAnUnreadableFile(@TempDir Path dir) {
        assertThatThrownBy(() -> LightSkeleton.parse(dir.resolve("missing.lskel.h")))
                .isInstanceOf(SkeletonFormatException.class).hasMessageContaining("missing.lskel.h: cannot read");
    }

    private static int lineOf(String text, String needle) {
        return CStringLiteral.lineOf(text, text.indexOf(needle));
    }

    static String resource(String name) throws Exception {
        try (InputStream in = LightSkeletonTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
