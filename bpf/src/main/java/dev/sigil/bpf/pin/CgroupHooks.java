package dev.sigil.bpf.pin;

import dev.sigil.bpf.attach.CgroupAttach;
import java.util.Arrays;
import java.util.Optional;

/** The pin record's token for each cgroup hook: fixed, so renaming the enum never changes the format. */
final class CgroupHooks {
    private CgroupHooks() {
    }

    static String token(CgroupAttach hook) {
        return switch (hook) {
            case InetIngress -> "inet_ingress";
            case InetEgress -> "inet_egress";
            case InetSockCreate -> "inet_sock_create";
            case SockOps -> "sock_ops";
            case Device -> "device";
            case Sysctl -> "sysctl";
            case Inet4Connect -> "inet4_connect";
            case Inet6Connect -> "inet6_connect";
            case Inet4Bind -> "inet4_bind";
            case Inet6Bind -> "inet6_bind";
            case GetSockopt -> "getsockopt";
            case SetSockopt -> "setsockopt";
        };
    }

    static Optional<CgroupAttach> of(String token) {
        return Arrays.stream(CgroupAttach.values()).filter(hook -> token(hook).equals(token)).findFirst();
    }
}
