package dev.sigil.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A status write whose response never finishes: an API server (or a proxy in front of it) that sends a response's
 * headers and then stalls its body. Fabric8's request timeout stops only the wait for the headers, so without its
 * own bound the write would wait for ever and the agent's tick with it.
 */
class StatusPublisherBoundTest {
    private static final Node NODE = new NodeBuilder().withNewMetadata().withName("node-a").withUid("u-1").endMetadata().build();

    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private ServerSocket server;
    private Thread acceptor;

    @BeforeEach
    void stallingServer() throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    held.add(socket);
                    Thread.ofVirtual().start(() -> answerHeadersOnly(socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void closeServer() throws Exception {
        server.close();
        acceptor.join();
        for (Socket socket : held) {
            socket.close();
        }
    }

    @Test
    void aWriteWhoseResponseStallsFailsWithinItsBoundAndLeavesTheThreadUninterrupted() {
        try (KubernetesClient client = client(Duration.ofSeconds(1))) {
            StatusPublisher publisher = new StatusPublisher(client, "node-a", Duration.ofMillis(1500));

            long started = System.nanoTime();
            assertThatThrownBy(() -> publisher.publish(NODE, new BpfNodeStateStatus(), true))
                    .isInstanceOf(KubernetesClientException.class)
                    .hasMessage("writing BpfNodeState node-a: no answer within 1500 ms");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThat(held).isNotEmpty();
        }
    }

    @Test
    void theNextWriteIsBoundedAgain() {
        try (KubernetesClient client = client(Duration.ofSeconds(1))) {
            StatusPublisher publisher = new StatusPublisher(client, "node-a", Duration.ofMillis(500));

            for (int write = 0; write < 2; write++) {
                assertThatThrownBy(() -> publisher.publish(NODE, new BpfNodeStateStatus(), true))
                        .hasMessage("writing BpfNodeState node-a: no answer within 500 ms");
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
            }
        }
    }

    private KubernetesClient client(Duration requestTimeout) {
        return AgentClient.connect(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + server.getLocalPort())
                .withRequestTimeout((int) requestTimeout.toMillis()).withRequestRetryBackoffLimit(0).build()).kubernetes();
    }

    private static void answerHeadersOnly(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            StringBuilder request = new StringBuilder();
            byte[] buffer = new byte[8192];
            while (request.indexOf("\r\n\r\n") < 0) {
                int read = in.read(buffer);
                if (read < 0) {
                    return;
                }
                request.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            }
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"kind\":")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            // the test closed it
        }
    }
}
