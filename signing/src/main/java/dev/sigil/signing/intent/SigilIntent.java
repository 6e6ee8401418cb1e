package dev.sigil.signing.intent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code SigilIntentV1}: what a release pipeline approves about where and how a signed program runs, signed
 * next to the loader (whose signature stays byte for byte the kernel's form). It binds the protocol, the
 * SHA-256 of the signed loader and of the metadata, every program with its attach point, every map with its
 * pin flag, the weakest enforcement the cluster may choose, and the node labels the node selector must
 * require. Its signed bytes are {@link #canonicalBytes()}: RFC 8785 canonical JSON of the same document the
 * resource carries as {@code spec.intent}.
 *
 * @param protocol           the signed-loader protocol, e.g. {@code LoaderHashV1}
 * @param loaderHash         {@code sha256:<hex>} of the signed loader
 * @param metadataHash       {@code sha256:<hex>} of the metadata
 * @param programs           in skeleton order
 * @param maps               in skeleton order (empty: none bound, left out of the document)
 * @param minimumEnforcement {@code Agent}, {@code Auto} or {@code Kernel}: the resource may ask for this or stronger
 * @param requiredNodeLabels labels the resource's node selector must require (empty: left out of the document)
 */
public record SigilIntent(String protocol, String loaderHash, String metadataHash, List<ProgramIntent> programs,
        List<MapIntent> maps, String minimumEnforcement, SortedMap<String, String> requiredNodeLabels) {
    public static final String FORMAT = "SigilIntentV1";

    /** One program the intent binds, by its skeleton name. */
    public record ProgramIntent(String name, AttachIntent attach) {
        public ProgramIntent {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(attach, "attach");
        }
    }

    /** One map the intent binds, by its skeleton name, and whether the agent pins it. */
    public record MapIntent(String name, boolean pin) {
        public MapIntent {
            Objects.requireNonNull(name, "name");
        }
    }

    public SigilIntent {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(loaderHash, "loaderHash");
        Objects.requireNonNull(metadataHash, "metadataHash");
        Objects.requireNonNull(minimumEnforcement, "minimumEnforcement");
        programs = List.copyOf(programs);
        maps = List.copyOf(maps);
        requiredNodeLabels = Collections.unmodifiableSortedMap(new TreeMap<>(requiredNodeLabels));
        if (programs.isEmpty()) {
            throw new IllegalArgumentException("an intent binds at least one program");
        }
    }

    /** The bytes the intent signature covers: RFC 8785 canonical JSON, UTF-8. */
    public byte[] canonicalBytes() {
        return CanonicalJson.encode(json());
    }

    /** The document as JSON values, the shape of {@code spec.intent}. */
    public Map<String, Object> json() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format", FORMAT);
        document.put("protocol", protocol);
        document.put("loaderHash", loaderHash);
        document.put("metadataHash", metadataHash);
        List<Object> programList = new ArrayList<>();
        for (ProgramIntent program : programs) {
            programList.add(Map.of("name", program.name(), "attach", program.attach().json()));
        }
        document.put("programs", programList);
        if (!maps.isEmpty()) {
            document.put("maps", maps.stream().map(map -> (Object) Map.of("name", map.name(), "pin", map.pin())).toList());
        }
        document.put("minimumEnforcement", minimumEnforcement);
        if (!requiredNodeLabels.isEmpty()) {
            document.put("requiredNodeLabels", new TreeMap<>(requiredNodeLabels));
        }
        return document;
    }
}
