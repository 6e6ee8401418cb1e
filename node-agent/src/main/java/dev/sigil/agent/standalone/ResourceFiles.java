package dev.sigil.agent.standalone;

import dev.sigil.crds.SigilApi;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads SignedBpfProgram YAML files (as {@code sigil sign} writes them) for the standalone agent and the CLI. */
public final class ResourceFiles {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ResourceFiles() {
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    public static List<SignedBpfProgram> read(List<Path> files) {
        List<SignedBpfProgram> resources = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path file : files) {
            SignedBpfProgram resource = read(file);
            if (!names.add(resource.getMetadata().getName())) {
                throw new IllegalArgumentException(file + ": a second resource named '" + resource.getMetadata().getName() + "'");
            }
            resources.add(resource);
        }
        return resources;
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    public static SignedBpfProgram read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file or directory", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(file + ": permission denied", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it: " + e.getMessage(), e);
        }
        GenericKubernetesResource generic;
        try {
            generic = SERIALIZATION.unmarshal(text, GenericKubernetesResource.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not YAML or JSON: " + firstLine(e.getMessage()), e);
        }
        if (generic == null) {
            throw new IllegalArgumentException(file + ": empty; expected a SignedBpfProgram");
        }
        if (!SigilApi.API_VERSION.equals(generic.getApiVersion()) || !"SignedBpfProgram".equals(generic.getKind())) {
            throw new IllegalArgumentException(file + ": a " + generic.getKind() + " (" + generic.getApiVersion()
                    + "), not a SignedBpfProgram (" + SigilApi.API_VERSION + ")");
        }
        SignedBpfProgram resource;
        try {
            resource = SERIALIZATION.unmarshal(text, SignedBpfProgram.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a valid SignedBpfProgram: " + firstLine(e.getMessage()), e);
        }
        if (resource.getMetadata() == null || resource.getMetadata().getName() == null) {
            throw new IllegalArgumentException(file + ": SignedBpfProgram without metadata.name");
        }
        if (resource.getSpec() == null) {
            throw new IllegalArgumentException(file + ": SignedBpfProgram without spec");
        }
        return resource;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
