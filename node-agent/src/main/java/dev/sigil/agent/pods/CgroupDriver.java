package dev.sigil.agent.pods;

/** How the kubelet names pod cgroups: as systemd slices, or as plain cgroupfs directories. */
public enum CgroupDriver {
    Systemd,
    Cgroupfs
}
