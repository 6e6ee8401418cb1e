package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.testing.KernelAssumptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigil agent run}, {@code status} and {@code unload} on the kernel with hostile input (issue 10, 1, 3 and 5):
 * a bad file among several is reported on its own line and the others are loaded and stay loaded; unload says what
 * it removed; a pin root that is not a bpffs and holds files is never mounted over.
 */
class AgentRunIsolationIT {
    @TempDir
    static Path dir;

    private static Path trust;
    private static String signed;

    private final Path pinRoot = Path.of("/sys/fs/bpf",
            "sigil-cli-test-" + UUID.randomUUID().toString().substring(0, 8));

    @BeforeAll
    static void signTheCounter() throws IOException {
        Path keys = Sigil.keygen(dir.resolve("keys"), "CN=Sigil agent run tests");
        Path resource = dir.resolve("signed.yaml");
        Sigil.Run sign = Sigil.run("sign", "--skeleton", Sigil.counterSkeleton(dir), "--key", keys.resolve("key.pem"),
                "--cert", keys.resolve("cert.pem"), "--name", "counter", "-o", resource);
        assertThat(sign.exitCode()).as(sign.err()).isZero();
        trust = keys.resolve("cert.pem");
        signed = Files.readString(resource);
    }

    @BeforeEach
    void requireTheKernel() {
        KernelAssumptions.requireLoaderHashV1();
    }

    @AfterEach
    void removeThePinRoot() throws IOException {
        if (!Files.isDirectory(pinRoot)) {
            return;
        }
        try (Stream<Path> left = Files.list(pinRoot)) {
            for (Path resource : left.toList()) {
                Sigil.run("agent", "unload", "--pin-root", pinRoot, resource.getFileName().toString());
            }
        }
        Files.delete(pinRoot);
    }

    @Test
    void oneBadFileAmongSeveralIsReportedAloneAndTheOthersStayLoaded() throws IOException {
        Path first = write("counter-a", signed);
        Path second = write("counter-b", signed);
        Path badSignature = write("counter-bad", withSignatureTagFlipped(signed));
        Path tooDeep = write("too-deep", signed.replace("spec:\n",
                "deep: " + "[".repeat(10_000) + "]".repeat(10_000) + "\nspec:\n"));

        Sigil.Run run = Sigil.run("agent", "run", "--pin-root", pinRoot, "--trust", trust, "--once", "--keep", first,
                badSignature, tooDeep, second);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("! counter-bad: MalformedSignature: ")
                .contains("! " + tooDeep + ": lists and maps nest more than 32 levels deep")
                .contains("leaving counter-a, counter-b pinned and attached")
                .doesNotContain("Exception");
        assertThat(pinRoot.resolve("counter-bad")).as("nothing pinned for the rejected resource").doesNotExist();

        Sigil.Run status = Sigil.run("agent", "status", "--pin-root", pinRoot);
        assertThat(status.out()).contains("counter-a").contains("counter-b").doesNotContain("counter-bad");

        Sigil.Run unload = Sigil.run("agent", "unload", "--pin-root", pinRoot, "counter-a", "counter-b");
        assertThat(unload.exitCode()).as(unload.err()).isZero();
        assertThat(unload.out().lines()).hasSize(2).allSatisfy(line -> assertThat(line)
                .matches("unloaded counter-[ab]: .*are gone from the kernel.*"));
        try (Stream<Path> left = Files.list(pinRoot)) {
            assertThat(left).as("pins left after unload").isEmpty();
        }
    }

    @Test
    void aPinRootWithFilesThatIsNoBpffsIsNeverMountedOver() throws IOException {
        Path notBpffs = Files.createDirectories(dir.resolve("not-bpffs-" + UUID.randomUUID()));
        Path notes = Files.writeString(notBpffs.resolve("notes.txt"), "kept");
        Path resource = write("counter-c", signed);

        Sigil.Run run = Sigil.run("agent", "run", "--pin-root", notBpffs, "--trust", trust, "--once", resource);
        Sigil.Run status = Sigil.run("agent", "status", "--pin-root", notBpffs);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out())
                .contains("! counter-c: KernelUnsupported: nothing can be pinned: no bpffs under " + notBpffs)
                .contains(notBpffs + " holds 1 entry (notes.txt) that a bpffs mounted over it would hide");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("(no bpffs under " + notBpffs)
                .contains("not mounting one for what only looks at pins");
        assertThat(Files.readString(notes)).as("the directory's own file, not hidden by a mount").isEqualTo("kept");
        assertThat(Files.readString(Path.of("/proc/self/mounts"))).doesNotContain(notBpffs.toString());
    }

    private static Path write(String name, String resource) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"),
                resource.replace("name: \"counter\"\n", "name: \"" + name + "\"\n"));
    }

    /** The signature's DER with its outer tag changed: well-formed base64, no CMS structure. */
    private static String withSignatureTagFlipped(String resource) {
        String prefix = "  signature: \"";
        int start = resource.indexOf(prefix) + prefix.length();
        String signature = resource.substring(start, resource.indexOf('"', start));
        byte[] der = Base64.getDecoder().decode(signature);
        der[0] ^= 0x01;
        return resource.replace(signature, Base64.getEncoder().encodeToString(der));
    }
}
