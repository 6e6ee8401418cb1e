package dev.sigil.agent.pods;

import java.util.Optional;

/** A pod's {@code status.qosClass}: which branch of the kubelet's cgroup tree holds the pod. */
public enum QosClass {
    Guaranteed,
    Burstable,
    BestEffort;

    /** The class a pod's status names; empty before the kubelet has set it or when it names none of these. */
    public static Optional<QosClass> of(String statusValue) {
        for (QosClass qos : values()) {
            if (qos.name().equals(statusValue)) {
                return Optional.of(qos);
            }
        }
        return Optional.empty();
    }
}
