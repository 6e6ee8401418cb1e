package dev.sigil.agent.testing;

import dev.sigil.bpf.sys.NetworkNamespaceThread;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.signing.testing.Shell;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Two network namespaces of a test's own joined by a veth: an "agent" namespace, where a thread of the test runs
 * the host (setns(2) on that thread only), and a "peer" namespace that sends it traffic. Names are unique per
 * instance; closing leaves the thread first (a namespace with a thread in it outlives {@code ip netns del}),
 * then removes the veth and both namespaces, whatever failed before.
 */
public final class AgentNamespaces implements AutoCloseable {
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final String agentNamespace = "sigil-test-a-" + suffix;
    private final String peerNamespace = "sigil-test-p-" + suffix;
    private final String agentEnd = "sga" + suffix;
    private final String peerEnd = "sgp" + suffix;
    private final String subnet;
    private NetworkNamespaceThread inAgentNamespace;

    /** {@code secondOctet}: a subnet of 10.x of the test class's own, so concurrent classes never share one. */
    public AgentNamespaces(SyscallBridge bridge, int secondOctet) {
        subnet = "10." + secondOctet + "." + (Math.abs(suffix.hashCode()) % 250 + 1);
        try {
            Shell.run("ip", "netns", "add", agentNamespace);
            Shell.run("ip", "netns", "add", peerNamespace);
            Shell.run("ip", "link", "add", agentEnd, "netns", agentNamespace, "type", "veth",
                    "peer", "name", peerEnd, "netns", peerNamespace);
            Shell.run("ip", "-n", agentNamespace, "addr", "add", subnet + ".1/24", "dev", agentEnd);
            Shell.run("ip", "-n", agentNamespace, "link", "set", agentEnd, "up");
            Shell.run("ip", "-n", peerNamespace, "addr", "add", subnet + ".2/24", "dev", peerEnd);
            Shell.run("ip", "-n", peerNamespace, "link", "set", peerEnd, "up");
            inAgentNamespace = NetworkNamespaceThread.entering(bridge, Path.of("/var/run/netns", agentNamespace),
                    "sigil-test-" + agentNamespace);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The veth's end in the agent namespace. */
    public String agentEnd() {
        return agentEnd;
    }

    /** A bridge device of the test's own in the agent namespace (generic XDP and tcx attach to it); gone with it. */
    public String addInterface(String name) {
        Shell.run("ip", "-n", agentNamespace, "link", "add", name, "type", "bridge");
        return name;
    }

    /** A veth pair of the test's own, both ends in the agent namespace. */
    public String addVeth(String name, String peer) {
        Shell.run("ip", "-n", agentNamespace, "link", "add", name, "type", "veth", "peer", "name", peer);
        return name;
    }

    public void removeInterface(String name) {
        Shell.run("ip", "-n", agentNamespace, "link", "del", name);
    }

    /** A prefix of this instance's own for interface names: three letters and its six-character suffix. */
    public String interfacePrefix(String letters) {
        return letters + suffix;
    }

    /** Runs {@code task} on the thread inside the agent namespace. */
    public <T> T inAgentNamespace(Supplier<T> task) {
        return inAgentNamespace.call(task);
    }

    /** The agent namespace's default route leaves through the veth, towards the peer. */
    public void routeDefaultThroughTheVeth() {
        Shell.run("ip", "-n", agentNamespace, "route", "add", "default", "via", subnet + ".2", "dev", agentEnd);
    }

    /** Three pings from the peer to the agent end; their answers do not matter, their arrival does. */
    public void pingTheAgentFromThePeer() {
        Shell.quietly("ip", "netns", "exec", peerNamespace, "ping", "-c", "3", "-i", "0.2", "-W", "1", subnet + ".1");
    }

    @Override
    public void close() {
        if (inAgentNamespace != null) {
            inAgentNamespace.close();
        }
        Shell.quietly("ip", "-n", agentNamespace, "link", "del", agentEnd);
        Shell.quietly("ip", "netns", "del", agentNamespace);
        Shell.quietly("ip", "netns", "del", peerNamespace);
    }
}
