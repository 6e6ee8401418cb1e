package dev.sigil.bpf.pin;

import dev.sigil.bpf.loader.AppliedEnforcement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the pin directory records about one resource: enough for a restarted agent to recognise its
 * programs (ids, tags, the loader hash) without the resource at hand. Map ids keep their order.
 */
public record PinnedResource(String name, long generation, String loaderHash, AppliedEnforcement enforcement,
        Map<String, Integer> mapIds, List<String> pinnedMaps, List<PinnedProgram> programs) {

    public PinnedResource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loaderHash, "loaderHash");
        Objects.requireNonNull(enforcement, "enforcement");
        mapIds = Collections.unmodifiableMap(new LinkedHashMap<>(mapIds));
        pinnedMaps = List.copyOf(pinnedMaps);
        programs = List.copyOf(programs);
    }
}
