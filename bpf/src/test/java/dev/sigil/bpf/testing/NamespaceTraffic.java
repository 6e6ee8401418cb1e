package dev.sigil.bpf.testing;

import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.NetworkNamespaceThread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Traffic inside a network namespace of a test's own, from a thread that enters it and leaves with it. */
public final class NamespaceTraffic {
    private NamespaceTraffic() {
    }

    /**
     * {@code count} UDP datagrams to a closed port on the namespace's loopback (which must be up): each is one
     * socket lookup there, so an sk_lookup program attached to the namespace runs once per datagram.
     */
    public static void sendDatagrams(Path namespace, int count) {
        try (NetworkNamespaceThread inside = NetworkNamespaceThread.entering(LinuxSyscallBridge.create(), namespace,
                "sigil-test-sender")) {
            inside.call(() -> {
                byte[] data = "sigil".getBytes(StandardCharsets.US_ASCII);
                try (DatagramSocket socket = new DatagramSocket()) {
                    for (int i = 0; i < count; i++) {
                        socket.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), 9));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return null;
            });
        }
    }
}
