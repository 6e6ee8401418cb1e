package dev.sigil.agent.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's state, held here and nowhere else: per resource, what the host holds of it in the kernel
 * and the report of the last thing it did with it (a failure stays the news while an older generation runs).
 */
final class HostState {
    private final Map<String, HostedResource> hosted = new LinkedHashMap<>();
    private final Map<String, ResourceReport> reports = new LinkedHashMap<>();

    Optional<HostedResource> hosted(String name) {
        return Optional.ofNullable(hosted.get(name));
    }

    List<HostedResource> hostedResources() {
        return new ArrayList<>(hosted.values());
    }

    boolean holds(String name) {
        return hosted.containsKey(name);
    }

    void hold(HostedResource resource) {
        hosted.put(resource.name, resource);
    }

    /** Stops holding the resource; the caller releases what it returns. */
    Optional<HostedResource> letGo(String name) {
        return Optional.ofNullable(hosted.remove(name));
    }

    Optional<ResourceReport> report(String name) {
        return Optional.ofNullable(reports.get(name));
    }

    ResourceReport record(ResourceReport report) {
        reports.put(report.name(), report);
        return report;
    }

    /** Drops the resource's report, returning it (the host no longer reports the resource). */
    Optional<ResourceReport> forget(String name) {
        return Optional.ofNullable(reports.remove(name));
    }

    List<ResourceReport> reports() {
        return List.copyOf(reports.values());
    }

    /** Closes every fd the host holds; pins stay, so the programs stay attached. */
    void closeAll() {
        hosted.values().forEach(HostedResource::close);
        hosted.clear();
    }
}
