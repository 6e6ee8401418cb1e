package dev.sigil.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two tarballs Jib built in this run (profile `images`): their configuration, their files, and
 * that their runtime actually starts. With no container engine here, "starts" means: the layers
 * unpacked into a directory and the entrypoint run in a chroot of it, which needs root.
 */
class ImageTarballTest {
    private static final Path TARGET = Path.of("target");

    @TempDir
    static Path work;
    private static ImageTarball agent;
    private static ImageTarball operator;
    private static Path agentRoot;
    private static Path operatorRoot;

    @BeforeAll
    static void unpack() throws IOException {
        agent = ImageTarball.open(TARGET.resolve("sigil-agent-image.tar"), Files.createDirectories(work.resolve("agent")));
        operator = ImageTarball.open(TARGET.resolve("sigil-operator-image.tar"), Files.createDirectories(work.resolve("operator")));
        agentRoot = agent.extractRootFilesystem(Files.createDirectories(work.resolve("agent-root")));
        operatorRoot = operator.extractRootFilesystem(Files.createDirectories(work.resolve("operator-root")));
    }

    @Test
    void agentImageRunsTheSigilCliAsRoot() {
        assertThat(agent.architecture()).isEqualTo("amd64/linux");
        assertThat(agent.config().path("Entrypoint").toString()).isEqualTo("[\"/usr/local/bin/sigil\"]");
        assertThat(agent.config().path("User").asText()).isEqualTo("0");
        assertThat(agent.config().path("Env").toString()).contains("PATH=/usr/local/bin:/opt/java/bin:/bin");
    }

    @Test
    void operatorImageRunsAsNonRoot() {
        assertThat(operator.config().path("Entrypoint").toString()).isEqualTo("[\"/usr/local/bin/sigil-operator\"]");
        assertThat(operator.config().path("User").asText()).isEqualTo("65532:65532");
    }

    @Test
    void carriesTheRunnableJarsUnchanged() throws IOException {
        assertThat(Files.mismatch(agentRoot.resolve("app/sigil.jar"), TARGET.resolve("app-agent/sigil.jar"))).isEqualTo(-1);
        assertThat(Files.mismatch(operatorRoot.resolve("app/sigil-operator.jar"),
                TARGET.resolve("app-operator/sigil-operator.jar"))).isEqualTo(-1);
    }

    /** The cluster agent's classes: the CLI's jar unpacked, every entry and nothing else (no class left from an older build). */
    @Test
    void carriesTheJarUnpackedForTheClusterAgent() throws IOException {
        Path unpacked = agentRoot.resolve("app/sigil-classes");
        List<String> entries;
        byte[] mainClass;
        try (JarFile jar = new JarFile(TARGET.resolve("app-agent/sigil.jar").toFile())) {
            entries = jar.stream().filter(entry -> !entry.isDirectory()).map(JarEntry::getName).sorted().toList();
            mainClass = jar.getInputStream(jar.getEntry("dev/sigil/cli/SigilCommand.class")).readAllBytes();
        }
        List<String> files;
        try (Stream<Path> walk = Files.walk(unpacked)) {
            files = walk.filter(Files::isRegularFile).map(file -> unpacked.relativize(file).toString()).sorted().toList();
        }

        assertThat(files).hasSize(entries.size()).isEqualTo(entries);
        assertThat(Files.readAllBytes(unpacked.resolve("dev/sigil/cli/SigilCommand.class"))).isEqualTo(mainClass);
    }

    @Test
    void sharesTheRuntimeLayerBetweenBothImages() {
        List<String> agentLayers = agent.layerDigests();
        List<String> operatorLayers = operator.layerDigests();

        // Jib's small argument-file layer, the runtime, the application jar.
        assertThat(agentLayers).hasSize(3);
        assertThat(agentLayers.get(1)).as("the runtime layer, stored once in a registry").isEqualTo(operatorLayers.get(1));
        assertThat(agentLayers.getLast()).isNotEqualTo(operatorLayers.getLast());
        System.out.printf("agent image %d MiB, operator image %d MiB compressed%n",
                agent.compressedSize() >> 20, operator.compressedSize() >> 20);
    }

    @Test
    void marksLaunchersAndTheRuntimeExecutable() throws IOException {
        for (String file : List.of("usr/local/bin/sigil", "usr/local/bin/sigil-operator", "opt/java/bin/java", "bin/sh")) {
            assertThat(Files.getPosixFilePermissions(agentRoot.resolve(file))).as(file)
                    .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        }
        assertThat(agentRoot.resolve("opt/java/lib/server/classes.jsa")).as("the JDK's class-data archive").isRegularFile();
    }

    @Test
    void operatorEntrypointStartsInTheImage() {
        assumeRoot();
        String help = chroot(operatorRoot, List.of("/usr/local/bin/sigil-operator", "--help"));

        assertThat(help).contains("--trust-configmap", "leader-election", "--health-port");
    }

    @Test
    void agentEntrypointStartsInTheImage() {
        assumeRoot();
        String help = chroot(agentRoot, List.of("sigil", "--help"));

        assertThat(help).contains("Usage: sigil", "sign", "verify");
    }

    @Test
    void clusterAgentRunsTunedForFootprintAndAcceptsTheFastApplyFlags() {
        assumeRoot();
        // `agent cluster` runs from the unpacked jar, C1 only at thrice the usual thresholds, with a small heap, compact
        // object headers and no class-data archive or AOT cache; the chart's agent.javaOptions for nodes that apply often
        // (C2, early compilation) must be accepted by the image's runtime; the CLI keeps the cache and the archive
        // (-XX:AOTMode=on refuses to start when it does not map).
        String agent = chroot(agentRoot, List.of("/bin/sh", "-c", "SIGIL_JAVA_OPTS=-XX:+PrintFlagsFinal exec sigil agent cluster --help"));
        String loaded = chroot(agentRoot, List.of("/bin/sh", "-c", "SIGIL_JAVA_OPTS=-Xlog:class+load exec sigil agent cluster --help"));
        String fastApply = chroot(agentRoot, List.of("/bin/sh", "-c",
                "SIGIL_JAVA_OPTS='-XX:TieredStopAtLevel=4 -XX:CompileThresholdScaling=0.01 -XX:+PrintFlagsFinal' exec sigil agent cluster --help"));
        String cli = chroot(agentRoot, List.of("/bin/sh", "-c", "SIGIL_JAVA_OPTS='-XX:AOTMode=on -XX:+PrintFlagsFinal' exec sigil --help"));

        assertThat(agent).contains("--health-port").doesNotContain("error occurred during parsing")
                .containsPattern("TieredStopAtLevel += 1 ").containsPattern("CompileThresholdScaling += 3\\.0")
                .containsPattern("MaxHeapFreeRatio += 15 ").containsPattern("MaxNewSize += 4194304 ")
                .containsPattern("UseCompactObjectHeaders += true ").containsPattern("AOTCache += *\\{");
        assertThat(loaded).contains("dev.sigil.cli.SigilCommand source: file:/app/sigil-classes/");
        assertThat(fastApply).contains("--health-port")
                .containsPattern("TieredStopAtLevel += 4 ").containsPattern("CompileThresholdScaling += 0\\.01");
        assertThat(cli).contains("Usage: sigil").containsPattern("AOTCache += /app/sigil\\.aot ")
                .containsPattern("TieredStopAtLevel += 1 ").containsPattern("MaxHeapFreeRatio += 30 ")
                .containsPattern("UseCompactObjectHeaders += false ");
        // -version names class-data sharing when the archive is mapped.
        assertThat(chroot(agentRoot, List.of("/bin/sh", "-c", "SIGIL_JAVA_OPTS=-version exec sigil agent cluster")))
                .contains("mixed mode").doesNotContain("sharing)");
        assertThat(chroot(agentRoot, List.of("/bin/sh", "-c", "SIGIL_AOT=off SIGIL_JAVA_OPTS=-version exec sigil")))
                .contains("mixed mode").contains("sharing)");
    }

    @Test
    void runtimeUsesItsClassDataArchive() {
        assumeRoot();
        // -Xshare:on refuses to start when the archive does not map, where -Xshare:auto would carry on.
        String version = chroot(agentRoot, List.of("/opt/java/bin/java", "-Xshare:on", "-version"));

        assertThat(version).contains("25").contains("sharing");
    }

    @Test
    void runtimeListsOnlyTheSecurityProvidersItHas() throws IOException {
        assumeRoot();
        // A listed provider the runtime lacks makes the JDK build every provider on the class path to look for it, Bouncy
        // Castle's among them. -XshowSettings loads the whole list, as the agent's first TLS handshake does.
        String settings = chroot(agentRoot, List.of("/opt/java/bin/java", "-Xlog:class+load", "-XshowSettings:security:providers",
                "-cp", "/app/sigil-classes", "-version"));
        List<String> loaded = Pattern.compile("^ *Provider name: (\\S+)$", Pattern.MULTILINE).matcher(settings).results()
                .map(match -> match.group(1)).toList();
        List<String> listed;
        try (Stream<String> lines = Files.lines(agentRoot.resolve("opt/java/conf/security/java.security"))) {
            listed = lines.filter(line -> line.matches("security\\.provider\\.\\d+=.*")).map(line -> line.substring(line.indexOf('=') + 1))
                    .toList();
        }

        assertThat(listed).startsWith("SUN", "SunRsaSign", "SunEC", "SunJSSE", "SunJCE").doesNotContain("SunPKCS11", "XMLDSig");
        assertThat(loaded).as("the providers the runtime loaded").isEqualTo(listed);
        assertThat(settings).doesNotContain("org.bouncycastle.jce.provider.BouncyCastleProvider ");
    }

    @Test
    void imagesAreTaggedWithTheChartsAppVersion() throws IOException {
        String appVersion = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(Path.of(System.getenv("SIGIL_ROOT"), "charts/sigil/Chart.yaml").toFile()).path("appVersion").asText();

        assertThat(appVersion).isEqualTo(System.getProperty("sigil.version"));
        assertThat(agent.repoTags()).singleElement().asString().endsWith("/sigil-agent:" + appVersion);
        assertThat(operator.repoTags()).singleElement().asString().endsWith("/sigil-operator:" + appVersion);
    }

    @Test
    void bothImagesStartWithTheirAotCache() {
        assumeRoot();
        // AOTMode=on refuses to start when the cache does not map, where the launcher's default carries on silently.
        String agentVersion = chroot(agentRoot, List.of("/bin/sh", "-c", "SIGIL_JAVA_OPTS=-XX:AOTMode=on exec sigil --version"));
        String operatorVersion = chroot(operatorRoot, List.of("/bin/sh", "-c",
                "SIGIL_JAVA_OPTS=-XX:AOTMode=on exec /usr/local/bin/sigil-operator --version"));

        assertThat(agentVersion.strip()).isEqualTo("sigil " + System.getProperty("sigil.version"));
        assertThat(operatorVersion.strip()).isEqualTo("sigil-operator " + System.getProperty("sigil.version"));
    }

    private static void assumeRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "chroot into the unpacked image needs root");
    }

    /**
     * Runs a command inside the unpacked image as a container runtime would: its own root, a fresh
     * /proc (the JVM's launcher finds its libraries through it), an empty environment but the image's PATH.
     */
    private static String chroot(Path root, List<String> command) {
        try {
            Files.createDirectories(root.resolve("proc"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> full = new ArrayList<>(List.of("env", "-i", "PATH=/usr/local/bin:/opt/java/bin:/bin:/usr/sbin:/usr/bin",
                "unshare", "--mount", "--pid", "--fork", "--mount-proc=" + root.resolve("proc"), "chroot", root.toString()));
        full.addAll(command);
        return ImageTarball.run(full);
    }
}
