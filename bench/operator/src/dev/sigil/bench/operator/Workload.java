package dev.sigil.bench.operator;

import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The simulated cluster's shape. Nodes fall into label pools ({@value #POOL_LABEL}); the first
 * {@code clusterWide} programs select every Linux node (an empty selector), every other program selects
 * one pool. With 1,000 programs, 5,000 nodes, 50 pools and 5 cluster-wide programs each node runs about
 * 25 programs and there are about 125,000 (program, node) pairs.
 */
record Workload(int programs, int nodes, int pools, int clusterWide) {
    static final String POOL_LABEL = "sigil.bench/pool";

    Workload {
        if (programs <= clusterWide || nodes < pools || pools < 1) {
            throw new IllegalArgumentException("need programs > clusterWide and nodes >= pools >= 1");
        }
    }

    String node(int index) {
        return String.format(Locale.ROOT, "node-%05d", index);
    }

    String program(int index) {
        return String.format(Locale.ROOT, "prog-%04d", index);
    }

    String pool(int index) {
        return "pool-" + index;
    }

    int poolOfNode(int node) {
        return node % pools;
    }

    boolean clusterWide(int program) {
        return program < clusterWide;
    }

    int poolOfProgram(int program) {
        return program % pools;
    }

    /** Indices of the nodes the program targets. */
    List<Integer> nodesOf(int program) {
        return IntStream.range(0, nodes)
                .filter(node -> clusterWide(program) || poolOfNode(node) == poolOfProgram(program))
                .boxed()
                .toList();
    }

    /** Indices of the programs that target the node. */
    List<Integer> programsOn(int node) {
        return IntStream.range(0, programs)
                .filter(program -> clusterWide(program) || poolOfProgram(program) == poolOfNode(node))
                .boxed()
                .toList();
    }

    int targets(int program) {
        return clusterWide(program) ? nodes : (int) IntStream.range(0, nodes)
                .filter(node -> poolOfNode(node) == poolOfProgram(program))
                .count();
    }

    long pairs() {
        return IntStream.range(0, programs).mapToLong(this::targets).sum();
    }
}
