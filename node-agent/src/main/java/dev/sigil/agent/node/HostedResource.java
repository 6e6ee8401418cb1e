package dev.sigil.agent.node;

import dev.sigil.bpf.loader.AppliedEnforcement;
import dev.sigil.bpf.pin.PinnedResource;
import dev.sigil.bpf.sys.Fd;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything the host holds for one resource generation: its programs (with links) and its maps. */
final class HostedResource implements AutoCloseable {
    final String name;
    final long generation;
    final String loaderHash;
    final AppliedEnforcement enforcement;
    final List<HostedProgram> programs;
    final Map<String, Fd> maps;
    final Map<String, Integer> mapIds;
    final List<String> pinnedMaps;
    /** False once a drift repair failed: the next apply of the same generation loads it afresh. */
    boolean intact = true;

    HostedResource(String name, long generation, String loaderHash, AppliedEnforcement enforcement,
            List<HostedProgram> programs, Map<String, Fd> maps, Map<String, Integer> mapIds, List<String> pinnedMaps) {
        this.name = name;
        this.generation = generation;
        this.loaderHash = loaderHash;
        this.enforcement = enforcement;
        this.programs = List.copyOf(programs);
        this.maps = new LinkedHashMap<>(maps);
        this.mapIds = Map.copyOf(mapIds);
        this.pinnedMaps = List.copyOf(pinnedMaps);
    }

    PinnedResource record() {
        return new PinnedResource(name, generation, loaderHash, enforcement, mapIds, pinnedMaps,
                programs.stream().map(HostedProgram::record).toList());
    }

    List<RunningProgram> running() {
        return programs.stream().map(HostedProgram::running).toList();
    }

    @Override
    public void close() {
        programs.forEach(HostedProgram::close);
        maps.values().forEach(Fd::close);
    }
}
