package dev.sigil.crds.schema;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The CRD YAML the Fabric8 generator wrote into {@code target/classes/META-INF/fabric8} in this build. */
public final class GeneratedCrds {
    /** File names as the generator writes them; the committed copies use the same names. */
    public static final List<String> FILE_NAMES = List.of(
            "signedbpfprograms.sigil.dev-v1.yml",
            "bpfnodestates.sigil.dev-v1.yml");

    private GeneratedCrds() {
    }

    public static byte[] bytes(String fileName) {
        try (InputStream in = GeneratedCrds.class.getResourceAsStream("/META-INF/fabric8/" + fileName)) {
            if (in == null) {
                throw new IllegalStateException("META-INF/fabric8/" + fileName
                        + " is not on the test classpath: the crd-generator-maven-plugin did not run");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CustomResourceDefinition parse(String fileName) {
        return Serialization.unmarshal(new String(bytes(fileName), java.nio.charset.StandardCharsets.UTF_8),
                CustomResourceDefinition.class);
    }

    /** The CRD of one kind, e.g. {@code forKind(SignedBpfProgram.class)}. */
    public static CustomResourceDefinition forKind(Class<? extends HasMetadata> kind) {
        return parse(HasMetadata.getFullResourceName(kind) + "-v1.yml");
    }

    public static List<CustomResourceDefinition> all() {
        return FILE_NAMES.stream().map(GeneratedCrds::parse).toList();
    }
}
