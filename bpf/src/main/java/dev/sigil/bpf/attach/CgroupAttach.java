package dev.sigil.bpf.attach;

import dev.sigil.bpf.sys.BpfAttachType;
import dev.sigil.bpf.sys.ProgramType;

/** The cgroup hooks the library attaches to, each with its kernel attach type and the program type it needs. */
public enum CgroupAttach {
    InetIngress(BpfAttachType.CGROUP_INET_INGRESS, ProgramType.CGROUP_SKB),
    InetEgress(BpfAttachType.CGROUP_INET_EGRESS, ProgramType.CGROUP_SKB),
    InetSockCreate(BpfAttachType.CGROUP_INET_SOCK_CREATE, ProgramType.CGROUP_SOCK),
    SockOps(BpfAttachType.CGROUP_SOCK_OPS, ProgramType.SOCK_OPS),
    Device(BpfAttachType.CGROUP_DEVICE, ProgramType.CGROUP_DEVICE),
    Sysctl(BpfAttachType.CGROUP_SYSCTL, ProgramType.CGROUP_SYSCTL),
    Inet4Connect(BpfAttachType.CGROUP_INET4_CONNECT, ProgramType.CGROUP_SOCK_ADDR),
    Inet6Connect(BpfAttachType.CGROUP_INET6_CONNECT, ProgramType.CGROUP_SOCK_ADDR),
    Inet4Bind(BpfAttachType.CGROUP_INET4_BIND, ProgramType.CGROUP_SOCK_ADDR),
    Inet6Bind(BpfAttachType.CGROUP_INET6_BIND, ProgramType.CGROUP_SOCK_ADDR),
    GetSockopt(BpfAttachType.CGROUP_GETSOCKOPT, ProgramType.CGROUP_SOCKOPT),
    SetSockopt(BpfAttachType.CGROUP_SETSOCKOPT, ProgramType.CGROUP_SOCKOPT);

    private final BpfAttachType attachType;
    private final ProgramType programType;

    CgroupAttach(BpfAttachType attachType, ProgramType programType) {
        this.attachType = attachType;
        this.programType = programType;
    }

    public BpfAttachType attachType() {
        return attachType;
    }

    public ProgramType programType() {
        return programType;
    }
}
