package dev.sigil.api.resource;

import dev.sigil.crds.SigilApi;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.signing.Messages;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The one reader of SignedBpfProgram files (YAML or JSON, as {@code sigil sign} or {@code kubectl get -o yaml} write
 * them), for the CLI, the standalone agent and the kubectl plugin. It reads at most {@link ResourceLimits} allow
 * (size before reading, nesting and aliases while parsing), maps the document onto the API model field by field
 * ({@link NodeMapper}, no serialization framework), and holds the result to the API's rules ({@link ResourceRules}).
 * Whatever the input, the answer is a resource or a one-line {@link ResourceException} naming the source.
 */
public final class ResourceReader {
    private static final String KIND = "SignedBpfProgram";
    /** Top-level fields; {@code status} is the API server's and is not read. */
    private static final Set<String> TOP_LEVEL = Set.of("apiVersion", "kind", "metadata", "spec", "status");

    private ResourceReader() {
    }

    public static SignedBpfProgram read(Path file) throws ResourceException {
        try {
            if (Files.isRegularFile(file) && Files.size(file) > ResourceLimits.MAX_DOCUMENT_BYTES) {
                throw new ResourceException(file + ": " + YamlDocument.tooLarge(Files.size(file)).getMessage());
            }
            try (InputStream in = Files.newInputStream(file)) {
                return read(in, file.toString());
            }
        } catch (NoSuchFileException e) {
            throw new ResourceException(file + ": no such file or directory", e);
        } catch (AccessDeniedException e) {
            throw new ResourceException(file + ": permission denied", e);
        } catch (IOException e) {
            throw new ResourceException(file + ": cannot read it: " + YamlDocument.oneLine(e.getMessage()), e);
        }
    }

    /** Reads at most one byte more than a resource may have, so an endless stream costs no more. */
    public static SignedBpfProgram read(InputStream in, String source) throws ResourceException, IOException {
        return read(in.readNBytes(ResourceLimits.MAX_DOCUMENT_BYTES + 1), source);
    }

    /** {@code source} names the document in every message (a file name, {@code -} for standard input). */
    public static SignedBpfProgram read(byte[] document, String source) throws ResourceException {
        try {
            return resource(YamlDocument.compose(document));
        } catch (ResourceException e) {
            throw new ResourceException(source + ": " + e.getMessage(), e.getCause());
        }
    }

    /**
     * Each file on its own: one that cannot be read, breaks a rule, or repeats the name of a resource read before it
     * is refused alone, and the others are read all the same.
     */
    public static List<ResourceFile> readEach(List<Path> files) {
        List<ResourceFile> results = new ArrayList<>();
        Map<String, Path> names = new HashMap<>();
        for (Path file : files) {
            try {
                SignedBpfProgram resource = read(file);
                Path first = names.putIfAbsent(resource.getMetadata().getName(), file);
                results.add(first == null ? new ResourceFile.Read(file, resource) : new ResourceFile.Refused(file,
                        file + ": a second resource named '" + resource.getMetadata().getName() + "' (the first is in "
                                + first + ")"));
            } catch (ResourceException e) {
                results.add(new ResourceFile.Refused(file, e.getMessage()));
            }
        }
        return results;
    }

    private static SignedBpfProgram resource(Node root) throws ResourceException {
        if (root == null) {
            throw new ResourceException("empty; expected a " + KIND);
        }
        Map<String, Node> top = NodeMapper.entries(NodeMapper.mapping(root, "the document"), "");
        String apiVersion = top.containsKey("apiVersion") ? NodeMapper.string(top.get("apiVersion"), "apiVersion") : null;
        String kind = top.containsKey("kind") ? NodeMapper.string(top.get("kind"), "kind") : null;
        if (!SigilApi.API_VERSION.equals(apiVersion) || !KIND.equals(kind)) {
            throw new ResourceException("a " + shownOrNone(kind) + " (" + shownOrNone(apiVersion) + "), not a " + KIND
                    + " (" + SigilApi.API_VERSION + ")");
        }
        for (Map.Entry<String, Node> entry : top.entrySet()) {
            if (!TOP_LEVEL.contains(entry.getKey())) {
                throw NodeMapper.at(entry.getValue(), NodeMapper.join("", entry.getKey()) + " is not a field of a "
                        + KIND + "; the fields are apiVersion, kind, metadata, spec and status");
            }
        }
        SignedBpfProgram resource = new SignedBpfProgram();
        resource.setMetadata(top.containsKey("metadata") ? metadata(top.get("metadata")) : new ObjectMeta());
        resource.setSpec(top.containsKey("spec")
                ? NodeMapper.bean(top.get("spec"), SignedBpfProgramSpec.class, "spec") : null);
        ResourceRules.require(resource);
        return resource;
    }

    /** The object metadata Sigil uses: name, generation, labels, annotations; the rest is the API server's. */
    private static ObjectMeta metadata(Node node) throws ResourceException {
        ObjectMeta metadata = new ObjectMeta();
        Map<String, Node> fields = NodeMapper.entries(NodeMapper.mapping(node, "metadata"), "metadata");
        if (fields.containsKey("name")) {
            metadata.setName(NodeMapper.string(fields.get("name"), "metadata.name"));
        }
        if (fields.containsKey("generation")) {
            metadata.setGeneration(NodeMapper.integer(fields.get("generation"), "metadata.generation"));
        }
        if (fields.containsKey("labels")) {
            metadata.setLabels(NodeMapper.stringMap(fields.get("labels"), "metadata.labels"));
        }
        if (fields.containsKey("annotations")) {
            metadata.setAnnotations(NodeMapper.stringMap(fields.get("annotations"), "metadata.annotations"));
        }
        return metadata;
    }

    private static String shownOrNone(String value) {
        return value == null ? "none" : Messages.shown(value);
    }
}
