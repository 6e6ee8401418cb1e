package dev.sigil.agent.cluster;

import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sigil.crds.ApiServerTrust;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The cluster agent's Kubernetes client. Its serialization does not search the class path for every Kubernetes
 * resource class (Fabric8's default instantiates each one the model jars list, about 560 classes in the agent's
 * jar, to map kinds for untyped reads): the agent reads and writes its own typed resources, and Nodes, Pods and
 * Namespaces as {@code GenericKubernetesResource}s of stated resource definitions, never a kind looked up; a watch
 * event is converted to the watched type. Nor does it set up Jackson's {@code java.time} support, which Fabric8
 * registers on every mapper (75 classes): no resource the agent reads or writes holds a {@code java.time} value,
 * Kubernetes' timestamps being strings in Fabric8's model and in Sigil's. It trusts the cluster's CA alone
 * ({@link ApiServerTrust}).
 */
public final class AgentClient {
    private AgentClient() {
    }

    // Jackson registers a module type once (MapperFeature.IGNORE_DUPLICATE_MODULE_REGISTRATIONS), so Fabric8's
    // JavaTimeModule, registered after this stand-in, is never set up.
    private static final KubernetesSerialization SERIALIZATION =
            new KubernetesSerialization(new ObjectMapper().registerModule(new NoJavaTimeTypes()), false);

    public static KubernetesClient connect(Config config) {
        return ApiServerTrust.connect(config, SERIALIZATION);
    }

    /** The agent's one mapper, its client's: what it builds for the API server is written as the client writes. */
    static KubernetesSerialization serialization() {
        return SERIALIZATION;
    }

    /** Holds {@link JavaTimeModule}'s place and adds nothing: a {@code java.time} value fails to serialize. */
    private static final class NoJavaTimeTypes extends Module {
        // The module's own id (its artifact's name), not its class name: a SimpleModule named at construction.
        private static final Object JAVA_TIME_MODULE_TYPE_ID = new JavaTimeModule().getTypeId();

        @Override
        public String getModuleName() {
            return "sigil-agent-no-java-time";
        }

        @Override
        public Object getTypeId() {
            return JAVA_TIME_MODULE_TYPE_ID;
        }

        @Override
        public Version version() {
            return Version.unknownVersion();
        }

        @Override
        public void setupModule(SetupContext context) {
            // Nothing to set up: the agent's resources carry no java.time values.
        }
    }
}
