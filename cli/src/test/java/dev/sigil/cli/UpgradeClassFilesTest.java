package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.reflect.ClassFileFormatVersion;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * build-tools/UpgradeClassFiles.java, as the cli build runs it on the shaded jar (whose picocli classes are Java 5
 * class files): here on picocli's own jar, the same classes.
 */
class UpgradeClassFilesTest {
    private static final int RELEASE = 25;

    @TempDir
    Path dir;

    @Test
    void picocliBecomesCurrentClassFilesThatVerifyAndRun() throws Exception {
        Path original = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = Files.copy(original, dir.resolve("picocli.jar"));
        Map<String, byte[]> before = entries(jar);
        assertThat(majorVersion(before.get("picocli/CommandLine.class"))).isLessThan(ClassFile.JAVA_6_VERSION);

        Process tool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Sigil.repositoryRoot().resolve("build-tools/UpgradeClassFiles.java").toString(), jar.toString(),
                String.valueOf(RELEASE)).inheritIO().start();
        assertThat(tool.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(tool.exitValue()).isZero();

        Map<String, byte[]> after = entries(jar);
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        int expected = ClassFileFormatVersion.valueOf("RELEASE_" + RELEASE).major();
        for (Map.Entry<String, byte[]> entry : after.entrySet()) {
            if (isClass(entry.getKey())) {
                assertThat(majorVersion(entry.getValue())).as(entry.getKey()).isEqualTo(expected);
            } else {
                assertThat(entry.getValue()).as(entry.getKey()).isEqualTo(before.get(entry.getKey()));
            }
        }
        // Each class initialised, so linked: the JVM's split verifier checks the generated stack maps.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            for (String name : after.keySet().stream().filter(UpgradeClassFilesTest::isClass).toList()) {
                Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), true, loader);
            }
            assertThat(Class.forName("picocli.CommandLine", true, loader).getField("VERSION").get(null))
                    .isEqualTo(CommandLine.VERSION);
        }
    }

    private static boolean isClass(String name) {
        return name.endsWith(".class") && !name.startsWith("META-INF/");
    }

    private static int majorVersion(byte[] classFile) {
        return ClassFile.of().parse(classFile).majorVersion();
    }

    private static Map<String, byte[]> entries(Path jar) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                try (InputStream in = zip.getInputStream(entry)) {
                    entries.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }
}
