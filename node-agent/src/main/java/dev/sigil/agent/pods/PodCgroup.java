package dev.sigil.agent.pods;

import java.nio.file.Path;
import java.util.Objects;

/** A pod a pod target selects on this node, and its cgroup directory, which exists. */
public record PodCgroup(String namespace, String name, String uid, Path cgroup) {
    public PodCgroup {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(cgroup, "cgroup");
    }
}
