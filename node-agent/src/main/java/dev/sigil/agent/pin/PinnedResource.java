package dev.sigil.agent.pin;

import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import java.util.List;
import java.util.Map;

/**
 * What the pin directory records about one resource: enough for a restarted agent to recognise its
 * programs (ids, tags, the loader hash) without the resource at hand.
 */
public record PinnedResource(String name, long generation, String loaderHash, AppliedEnforcement enforcement,
        Map<String, Integer> mapIds, List<String> pinnedMaps, List<PinnedProgram> programs) {

    public PinnedResource {
        mapIds = Map.copyOf(mapIds);
        pinnedMaps = List.copyOf(pinnedMaps);
        programs = List.copyOf(programs);
    }
}
