package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigil} as a user runs it: a separate JVM through {@code main}, and the {@code bin/sigil}
 * launcher. The shaded jar is made only in the package phase, after tests; the launcher test therefore
 * builds a stand-in {@code cli/target/sigil.jar} whose manifest points at the test classpath.
 */
class SigilLauncherTest {
    @TempDir
    Path dir;

    private record Exit(int code, String out, String err) {
    }

    private Exit exec(List<String> command) throws Exception {
        return exec(command, Map.of());
    }

    private Exit exec(List<String> command, Map<String, String> environment) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within 120 s");
        }
        return new Exit(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Exit javaMain(Object... args) throws Exception {
        return javaMain(Map.of(), args);
    }

    private Exit javaMain(Map<String, String> environment, Object... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), SigilCommand.class.getName()));
        Arrays.stream(args).map(String::valueOf).forEach(command::add);
        return exec(command, environment);
    }

    /** A copy of the launcher in a fresh tree: ROOT/bin/sigil and ROOT/build-tools/jdk.sh. */
    private Path launcherTree() throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("build-tools"));
        Path launcher = Files.copy(Sigil.repositoryRoot().resolve("bin/sigil"), root.resolve("bin/sigil"));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(Sigil.repositoryRoot().resolve("build-tools/jdk.sh"), root.resolve("build-tools/jdk.sh"));
        return root;
    }

    private static void writeStandInJar(Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, SigilCommand.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH,
                Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                        .map(entry -> Path.of(entry).toUri().toString()).collect(Collectors.joining(" ")));
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // The manifest is the whole jar: its Class-Path brings in the classes.
        }
    }

    @Test
    void mainExitsZeroOneOrTwoWithOneLineErrors() throws Exception {
        Path keys = dir.resolve("keys");
        Path resource = dir.resolve("counter.yaml");
        Sigil.keygen(keys, "CN=Sigil signing key");
        Sigil.Run sign = Sigil.run("sign", "--skeleton", Sigil.counterSkeleton(dir), "--key", keys.resolve("key.pem"), "--cert",
                keys.resolve("cert.pem"), "--name", "counter", "-o", resource);
        assertThat(sign.exitCode()).as(sign.err()).isZero();

        Exit verified = javaMain("verify", "--trust", keys.resolve("cert.pem"), resource);
        Files.writeString(resource, Files.readString(resource).replaceFirst("hash: \"sha256:[0-9a-f]{64}",
                "hash: \"sha256:" + "0".repeat(64)));
        Exit rejected = javaMain("verify", "--trust", keys.resolve("cert.pem"), resource);
        Exit usage = javaMain("verify", resource);

        assertThat(verified.code()).as(verified.err()).isZero();
        assertThat(verified.out()).startsWith("verified counter: signed by CN=Sigil signing key").hasLineCount(1);
        assertThat(rejected.code()).isEqualTo(1);
        assertThat(rejected.err()).startsWith("HashMismatch: metadata hashes to sha256:")
                .contains("but the resource states sha256:" + "0".repeat(64)).hasLineCount(1);
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).isEqualTo("sigil verify: Missing required option: '--trust=FILE|DIR' (see sigil verify --help)\n");
    }

    @Test
    void agentRunMarksItsStartupPhasesOnlyWhenAsked() throws Exception {
        Path keys = dir.resolve("keys");
        Sigil.keygen(keys, "CN=Sigil signing key");
        Path notAResource = Files.writeString(dir.resolve("notes.yaml"), "kind: ConfigMap\n");
        Object[] args = {"agent", "run", "--trust", keys.resolve("cert.pem"), "--once", notAResource};

        Exit traced = javaMain(Map.of("SIGIL_STARTUP_TRACE", "1"), args);
        Exit quiet = javaMain(args);

        assertThat(traced.code()).as("no resource to run: a usage error, after the phases up to reading it")
                .isEqualTo(2);
        List<String> marks = traced.err().lines().filter(line -> line.startsWith("startup-trace ")).toList();
        assertThat(marks).extracting(line -> line.split(" ")[1]).containsExactly("main", "arguments", "resources");
        assertThat(marks).allSatisfy(line -> assertThat(line).matches("startup-trace [a-z]+ \\d{16} \\d+"));
        assertThat(marks).extracting(line -> Long.parseLong(line.split(" ")[2])).isSorted();
        assertThat(quiet.code()).isEqualTo(2);
        assertThat(quiet.err()).doesNotContain("startup-trace").isEqualTo(traced.err().lines()
                .filter(line -> !line.startsWith("startup-trace ")).map(line -> line + "\n").collect(Collectors.joining()));
    }

    @Test
    void launcherExplainsHowToBuildTheJarWhenItIsMissing() throws Exception {
        Path root = launcherTree();

        Exit exit = exec(List.of(root.resolve("bin/sigil").toString(), "--help"));

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.err()).isEqualTo("sigil: " + root.resolve("cli/target/sigil.jar")
                + " is not built; run ./mvnw -q package -DskipTests first (in " + root + ")\n");
    }

    @Test
    void launcherRunsTheJarOnAJdk25() throws Exception {
        Path root = launcherTree();
        writeStandInJar(root.resolve("cli/target/sigil.jar"));

        Exit keygen = exec(List.of(root.resolve("bin/sigil").toString(), "keygen", "--out", dir.resolve("k").toString(), "--ec", "P-384"));

        assertThat(keygen.code()).as(keygen.err()).isZero();
        assertThat(keygen.out()).contains("EC P-384");
        assertThat(Files.readString(dir.resolve("k/key.pem"), StandardCharsets.US_ASCII)).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    /** A JDK that is only a release file and a java that logs its arguments: the launcher may run it once. */
    private Path fakeJdk(String javaVersion) throws IOException {
        Path home = dir.resolve("fake-jdk-" + javaVersion);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + javaVersion + "\"\n");
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/../calls\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private static List<String> calls(Path jdk) throws IOException {
        return Files.exists(jdk.resolve("calls")) ? Files.readAllLines(jdk.resolve("calls")) : List.of();
    }

    @Test
    void launcherFindsTheJdkByItsReleaseFileAndStartsOneJvm() throws Exception {
        Path root = launcherTree();
        writeStandInJar(root.resolve("cli/target/sigil.jar"));
        Path jdk = fakeJdk("25.0.9");

        Exit exit = exec(List.of(root.resolve("bin/sigil").toString(), "--version"), Map.of("JAVA_HOME", jdk.toString()));

        assertThat(exit.code()).as(exit.err()).isZero();
        assertThat(calls(jdk)).singleElement().asString()
                .endsWith("--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:MaxRAM=256m -XX:MaxRAMPercentage=60"
                        + " -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10 -Xss512k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m -XX:-UsePerfData"
                        + " -XX:TrimNativeHeapInterval=5000 -jar "
                        + root.resolve("cli/target/sigil.jar") + " --version");
    }

    @Test
    void theClusterAgentRunsTunedForFootprintFromTheUnpackedJarWithoutTheCliCache() throws Exception {
        Path root = launcherTree();
        Path jar = root.resolve("cli/target/sigil.jar");
        writeStandInJar(jar);
        Files.writeString(root.resolve("cli/target/sigil.aot"), "recorded by the build");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path jdk = fakeJdk("25.0.9");
        Exit unpackedMissing = exec(List.of(root.resolve("bin/sigil").toString(), "agent", "cluster", "--help"),
                Map.of("JAVA_HOME", jdk.toString()));
        Path classes = Files.createDirectories(root.resolve("cli/target/sigil-classes"));

        for (List<String> command : List.of(List.of("agent", "cluster", "--help"), List.of("agent", "run", "--help"),
                List.of("verify", "--help"))) {
            List<String> line = new ArrayList<>(List.of(root.resolve("bin/sigil").toString()));
            line.addAll(command);
            Exit exit = exec(line, Map.of("JAVA_HOME", jdk.toString()));
            assertThat(exit.code()).as(exit.err()).isZero();
        }
        exec(List.of(root.resolve("bin/sigil").toString(), "agent", "cluster", "--help"),
                Map.of("JAVA_HOME", jdk.toString(), "SIGIL_AOT", "on"));

        assertThat(unpackedMissing.code()).isEqualTo(2);
        assertThat(unpackedMissing.err()).isEqualTo("sigil: " + classes
                + " is not built; run ./mvnw -q package -DskipTests first (in " + root + ")\n");
        assertThat(calls(jdk)).hasSize(4);
        for (String clusterAgent : List.of(calls(jdk).get(0), calls(jdk).get(3))) {
            assertThat(clusterAgent)
                    .startsWith("--enable-native-access=ALL-UNNAMED")
                    .contains(" -XX:MaxHeapFreeRatio=15 -XX:MinHeapFreeRatio=5 -Xmn4m ")
                    .contains(" -XX:TieredStopAtLevel=1 ")
                    .contains(" -Xshare:off -XX:+UseCompactObjectHeaders -XX:CompileThresholdScaling=3 ").doesNotContain("AOTCache")
                    .endsWith(" -cp " + classes + " dev.sigil.cli.SigilCommand agent cluster --help");
        }
        for (String shortLived : calls(jdk).subList(1, 3)) {
            assertThat(shortLived).startsWith("-XX:AOTCache=").contains(" -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10 ")
                    .contains(" -XX:TieredStopAtLevel=1 ").doesNotContain("Xmn").doesNotContain("Xshare")
                    .doesNotContain("CompileThresholdScaling").contains(" -jar " + jar + " ");
        }
        assertThat(calls(jdk).get(1)).endsWith(" agent run --help");
        assertThat(calls(jdk).get(2)).endsWith(" verify --help");
    }

    @Test
    void launcherSkipsAJavaThatIsTooOldWithoutRunningIt() throws Exception {
        Path root = launcherTree();
        writeStandInJar(root.resolve("cli/target/sigil.jar"));
        Path old = fakeJdk("17.0.15");

        Exit exit = exec(List.of(root.resolve("bin/sigil").toString(), "--version"), Map.of("JAVA_HOME", old.toString()));

        assertThat(calls(old)).isEmpty();
        assertThat(exit.code()).as(exit.err()).isZero();
        assertThat(exit.out()).startsWith("sigil ");
    }

    @Test
    void launcherUsesTheAotCacheOnlyWhenItIsNewerThanTheJarAndNotSwitchedOff() throws Exception {
        Path root = launcherTree();
        Path jar = root.resolve("cli/target/sigil.jar");
        writeStandInJar(jar);
        Path cache = Files.writeString(root.resolve("cli/target/sigil.aot"), "recorded by the build");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path jdk = fakeJdk("25");
        Map<String, String> env = Map.of("JAVA_HOME", jdk.toString());

        exec(List.of(root.resolve("bin/sigil").toString(), "--help"), env);
        exec(List.of(root.resolve("bin/sigil").toString(), "--help"), Map.of("JAVA_HOME", jdk.toString(), "SIGIL_AOT", "off"));
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        exec(List.of(root.resolve("bin/sigil").toString(), "--help"), env);

        assertThat(calls(jdk)).hasSize(3);
        assertThat(calls(jdk).get(0)).startsWith("-XX:AOTCache=" + cache + " -Xlog:aot=off --enable-native-access=ALL-UNNAMED");
        assertThat(calls(jdk).get(1)).doesNotContain("AOTCache");
        assertThat(calls(jdk).get(2)).as("a jar newer than its cache").doesNotContain("AOTCache");
    }

    @Test
    void aCacheTheJvmCannotUseIsIgnoredSilently() throws Exception {
        Path root = launcherTree();
        Path jar = root.resolve("cli/target/sigil.jar");
        writeStandInJar(jar);
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.writeString(root.resolve("cli/target/sigil.aot"), "not an AOT cache");

        Exit exit = exec(List.of(root.resolve("bin/sigil").toString(), "--version"));

        assertThat(exit.code()).isZero();
        assertThat(exit.err()).isEmpty();
        assertThat(exit.out()).isEqualTo("sigil " + System.getProperty("sigil.version") + "\n");
    }
}
