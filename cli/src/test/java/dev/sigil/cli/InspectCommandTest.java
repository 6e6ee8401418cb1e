package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.LoaderHashV1;
import dev.sigil.signing.SigningKey;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    @TempDir
    Path dir;
    private Path keys;
    private Path skeleton;
    private Path resource;
    /** Sizes come from the skeleton this build made: its BTF depends on the compiler and kernel headers. */
    private int unsignedLoaderInstructions;
    private int metadataBytes;

    @BeforeEach
    void signedExample() throws Exception {
        keys = Sigil.keygen(dir.resolve("keys"), "CN=release");
        skeleton = Sigil.counterSkeleton(dir);
        LightSkeleton parsed = LightSkeleton.parse(skeleton);
        unsignedLoaderInstructions = parsed.loaderInstructions().length / LoaderHashV1.INSTRUCTION_SIZE;
        metadataBytes = parsed.metadata().length;
        resource = dir.resolve("counter.yaml");
        Sigil.run("sign", "--skeleton", skeleton, "--key", keys.resolve("key.pem"), "--cert", keys.resolve("cert.pem"),
                "--name", "counter", "--node-selector", "pool=bpf", "-o", resource);
    }

    @Test
    void showsProgramsMapsSignerHashesAndSizes() throws Exception {
        String skid = SigningKey.load(keys.resolve("key.pem"), keys.resolve("cert.pem")).subjectKeyId();

        Sigil.Run run = Sigil.run("inspect", resource);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(
                "name: counter",
                "protocol: LoaderHashV1",
                "nodeSelector: pool=bpf",
                "programs:\n  count_sys_enter: RawTracepoint(sys_enter)",
                "maps: counts, data",
                "signer: SKID " + skid,
                "signatureAlgorithm: SHA256WITHECDSA (1.2.840.10045.4.3.2)",
                "embeddedCertificates: 0",
                "signedAttributes: false",
                "hashMatchesMetadata: true",
                "prologueMatchesMetadata: true",
                "loaderInstructions: " + (unsignedLoaderInstructions + LoaderHashV1.PROLOGUE_INSTRUCTIONS),
                "metadataBytes: " + metadataBytes);
    }

    @Test
    void printsJsonOnRequest() {
        Sigil.Run run = Sigil.run("inspect", resource, "--output", "json");

        Map<?, ?> report = new KubernetesSerialization().unmarshal(run.out(), Map.class);
        assertThat(report.get("name")).isEqualTo("counter");
        assertThat(report.get("programs")).isEqualTo(Map.of("count_sys_enter", "RawTracepoint(sys_enter)"));
        assertThat(report.get("loaderBytes"))
                .isEqualTo((unsignedLoaderInstructions + LoaderHashV1.PROLOGUE_INSTRUCTIONS) * LoaderHashV1.INSTRUCTION_SIZE);
        assertThat((String) report.get("loaderHash")).startsWith("sha256:");
    }

    @Test
    void inspectsALightSkeletonHeader() {
        Sigil.Run run = Sigil.run("inspect", skeleton);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("kind: LightSkeleton", "name: counter", "count_sys_enter: raw_tracepoint:sys_enter",
                "maps: counts, data", "loaderInstructions: " + unsignedLoaderInstructions,
                "metadataBytes: " + metadataBytes).doesNotContain("bpftoolSignature");
    }

    @Test
    void showsTheSignatureAndExclusiveHashOfABpftoolSignedHeader() {
        Path signedHeader = Sigil.repositoryRoot().resolve("signing/src/test/resources/skeletons/counter-bpftool-signed.lskel.h");

        Sigil.Run run = Sigil.run("inspect", signedHeader);

        assertThat(run.out()).contains("bpftoolSignature:\n  signer: SKID ", "signatureAlgorithm: RSA (1.2.840.113549.1.1.1)",
                "exclusiveProgramHash: f6734461d9fb126dab70fbc0d01f8a21249e66a5e5d06de9af8aba7c80fb78e8",
                "exclusiveProgramHashMatchesLoader: true");
    }

    @Test
    void rejectsAnUnknownFormat() {
        assertThat(Sigil.run("inspect", resource, "--output", "xml"))
                .isEqualTo(new Sigil.Run(2, "", "sigil inspect: --output must be text or json, got 'xml' (see sigil inspect --help)\n"));
    }
}
