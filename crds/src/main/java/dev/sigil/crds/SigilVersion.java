package dev.sigil.crds;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this Sigil build, as Maven filtered it into {@code version.properties}: the one
 * version {@code sigil --version}, {@code sigil-operator --version}, {@code kubectl sigil --version},
 * the agent's {@code BpfNodeState} report, the image tags and the chart's appVersion all carry.
 */
public final class SigilVersion {
    private static final String CURRENT = read();

    private SigilVersion() {
    }

    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = SigilVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/sigil/crds/version.properties is missing from the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isBlank() || version.contains("${")) {
                throw new IllegalStateException("dev/sigil/crds/version.properties was not filtered by the build: '" + version + "'");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
