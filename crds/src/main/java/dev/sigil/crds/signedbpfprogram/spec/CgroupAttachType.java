package dev.sigil.crds.signedbpfprogram.spec;

/** The cgroup attach types Sigil supports; the agent maps each to its {@code enum bpf_attach_type} value. */
public enum CgroupAttachType {
    InetIngress,
    InetEgress,
    InetSockCreate,
    SockOps,
    Device,
    Sysctl,
    Inet4Connect,
    Inet6Connect,
    Inet4Bind,
    Inet6Bind,
    GetSockopt,
    SetSockopt
}
