package dev.sigil.agent.testing;

import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.bpf.testing.RecordingBridge;
import dev.sigil.bpf.testing.TestBundles;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A host on the real kernel, per test, whose agent side runs inside {@link AgentNamespaces} of the test's own
 * (register with {@code @RegisterExtension}). Before each test: the kernel must run LoaderHashV1 and attach every
 * kind asked for (otherwise the test is skipped with the probe's reason, or fails under
 * {@code SIGIL_REQUIRE_KERNEL=1}). After it: whatever the host still holds is unloaded and its pin root removed,
 * then the namespaces go, whatever failed before.
 */
public final class NamespacedHost implements BeforeEachCallback, AfterEachCallback {
    private final int secondOctet;
    private final List<AttachKind> attachKinds;
    private RecordingBridge bridge;
    private HostFixture fixture;
    private AgentNamespaces namespaces;

    /** {@code secondOctet}: the test class's own 10.x subnet (see {@link AgentNamespaces}). */
    public NamespacedHost(int secondOctet, AttachKind... attachKinds) {
        this.secondOctet = secondOctet;
        this.attachKinds = List.of(attachKinds);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        KernelFeatures kernel = KernelAssumptions.requireLoaderHashV1();
        attachKinds.forEach(kind -> KernelAssumptions.require(kind + " attach", kernel.attach(kind)));
        bridge = new RecordingBridge();
        fixture = new HostFixture(kernel, bridge, TestBundles.trust());
        namespaces = new AgentNamespaces(bridge, secondOctet);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            HostFixture.closeIfStarted(fixture);
        } finally {
            if (namespaces != null) {
                namespaces.close();
            }
            fixture = null;
            namespaces = null;
        }
    }

    /** The bridge the host uses, recording what it creates. */
    public RecordingBridge bridge() {
        return bridge;
    }

    public HostFixture fixture() {
        return fixture;
    }

    public AgentNamespaces namespaces() {
        return namespaces;
    }
}
