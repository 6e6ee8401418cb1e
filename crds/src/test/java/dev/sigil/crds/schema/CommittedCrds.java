package dev.sigil.crds.schema;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CRD files committed under {@code crds/} (what {@code kubectl apply -f crds/} and the chart install),
 * read as a Go client reads them ({@link GoYaml}): the schema here is the one a real API server stores.
 */
public final class CommittedCrds {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private CommittedCrds() {
    }

    public static List<CustomResourceDefinition> all() {
        return GeneratedCrds.FILE_NAMES.stream().map(CommittedCrds::read).toList();
    }

    /** The CRD of one kind, e.g. {@code forKind(SignedBpfProgram.class)}. */
    public static CustomResourceDefinition forKind(Class<? extends HasMetadata> kind) {
        return read(HasMetadata.getFullResourceName(kind) + "-v1.yml");
    }

    public static CustomResourceDefinition read(String fileName) {
        return SERIALIZATION.convertValue(GoYaml.read(text(fileName)), CustomResourceDefinition.class);
    }

    public static String text(String fileName) {
        Path file = repositoryRoot().resolve("crds").resolve(fileName);
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the committed CRD " + file, e);
        }
    }

    /** Surefire sets SIGIL_ROOT (parent pom); run from an IDE, the module directory's parent is the root. */
    public static Path repositoryRoot() {
        String root = System.getenv("SIGIL_ROOT");
        return root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
    }
}
