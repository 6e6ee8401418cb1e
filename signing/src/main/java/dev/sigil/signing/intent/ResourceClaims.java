package dev.sigil.signing.intent;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a resource asks a node to do, beside the signed pieces: the concrete values a signed intent is
 * compared with. Built from the resource by one adapter (module {@code api-support}); the signing library
 * knows no Kubernetes types.
 *
 * @param programs     in the resource's order
 * @param maps         in the resource's order
 * @param enforcement  {@code Auto}, {@code Kernel} or {@code Agent}
 * @param nodeSelector the node selector's terms
 */
public record ResourceClaims(List<ProgramClaim> programs, List<MapClaim> maps, String enforcement,
        LabelSelectorTerms nodeSelector) {

    public ResourceClaims {
        programs = List.copyOf(programs);
        maps = List.copyOf(maps);
        Objects.requireNonNull(enforcement, "enforcement");
        Objects.requireNonNull(nodeSelector, "nodeSelector");
    }

    /** One program and where the resource attaches it. */
    public record ProgramClaim(String name, AttachPoint attach) {
        public ProgramClaim {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(attach, "attach");
        }
    }

    /**
     * A concrete attach point, in the resource's union form.
     *
     * @param type           e.g. {@code Xdp}
     * @param target         the fields of the member named after the type, e.g. {@code interface=eth0, mode=Generic}
     * @param resolvedOnNode fields the resource leaves to each node to resolve (e.g. {@code interface} for the
     *                       node's primary interface): the agent checks what it resolves against the signed constraint
     * @param patterns       of those, the ones the resource gives as a glob each node resolves (e.g. {@code interface}
     *                       for {@code interfacePattern: veth*}), with the glob: it may be no wider than the signed one
     */
    public record AttachPoint(String type, SortedMap<String, String> target, SortedSet<String> resolvedOnNode,
            SortedMap<String, String> patterns) {
        public AttachPoint {
            Objects.requireNonNull(type, "type");
            target = Collections.unmodifiableSortedMap(new TreeMap<>(target));
            resolvedOnNode = Collections.unmodifiableSortedSet(new TreeSet<>(resolvedOnNode));
            patterns = Collections.unmodifiableSortedMap(new TreeMap<>(patterns));
            if (resolvedOnNode.stream().anyMatch(target::containsKey)) {
                throw new IllegalArgumentException("a field is either given or resolved on the node: " + resolvedOnNode);
            }
            if (!resolvedOnNode.containsAll(patterns.keySet())) {
                throw new IllegalArgumentException("a field given as a pattern is resolved on the node: " + patterns.keySet());
            }
        }

        /** Nothing given as a pattern. */
        public AttachPoint(String type, SortedMap<String, String> target, SortedSet<String> resolvedOnNode) {
            this(type, target, resolvedOnNode, new TreeMap<>());
        }

        /** Every field given by value. */
        public AttachPoint(String type, SortedMap<String, String> target) {
            this(type, target, new TreeSet<>());
        }

        public String member() {
            return AttachIntent.member(type);
        }
    }

    /** One map and whether the resource asks to pin it. */
    public record MapClaim(String name, boolean pin) {
        public MapClaim {
            Objects.requireNonNull(name, "name");
        }
    }
}
