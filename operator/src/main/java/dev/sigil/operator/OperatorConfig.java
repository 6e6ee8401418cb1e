package dev.sigil.operator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sigil.crds.bpfnodestate.NodeStaleness;
import dev.sigil.operator.agent.AgentConfig;
import dev.sigil.operator.trust.ObjectRef;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the reconcilers need to know, from flags, env vars and the optional YAML config file.
 *
 * @param namespace where the agent DaemonSet and the leader-election Lease live
 * @param trustConfigMap the ConfigMap whose {@code *.pem} keys are trust anchors, plus revocation lists
 * @param deletionTimeout how long a deleted program waits for nodes to report it unloaded
 * @param staleness how many of its heartbeat intervals a node's agent may stay silent before the node counts
 *     as stale (what it runs unknown)
 */
public record OperatorConfig(
        String namespace,
        ObjectRef trustConfigMap,
        AgentConfig agent,
        Duration deletionTimeout,
        boolean leaderElection,
        NodeStaleness staleness) {

    public static final String LEASE_NAME = "sigil-operator";
    public static final Duration DEFAULT_DELETION_TIMEOUT = Duration.ofMinutes(5);

    public OperatorConfig {
        if (deletionTimeout.isNegative() || deletionTimeout.isZero()) {
            throw new IllegalArgumentException("deletionTimeout must be positive, got " + deletionTimeout);
        }
    }

    /** With nodes counted stale after {@link NodeStaleness#DEFAULT_HEARTBEATS} missed heartbeats. */
    public OperatorConfig(String namespace, ObjectRef trustConfigMap, AgentConfig agent, Duration deletionTimeout,
            boolean leaderElection) {
        this(namespace, trustConfigMap, agent, deletionTimeout, leaderElection,
                new NodeStaleness(NodeStaleness.DEFAULT_HEARTBEATS));
    }

    /** The {@code --config} file's shape; absent keys take the defaults. */
    record FileContents(AgentSection agent, String deletionTimeout, Integer staleAfterHeartbeats) {
    }

    record AgentSection(
            String image,
            String imagePullPolicy,
            Boolean privileged,
            List<String> capabilities,
            List<Toleration> tolerations,
            ResourceRequirements resources,
            String priorityClassName,
            String pinRoot,
            Integer healthPort,
            String serviceAccountName,
            String trustConfigMap,
            List<String> javaOptions) {
    }

    /**
     * Combines the flags with the config file (or its absence).
     *
     * @throws IllegalArgumentException naming the file and field when something is wrong
     */
    public static OperatorConfig resolve(String namespace, ObjectRef trustConfigMap, Optional<Path> configFile,
            boolean leaderElection) {
        FileContents file = configFile.map(OperatorConfig::read).orElse(new FileContents(null, null, null));
        String source = configFile.map(Path::toString).orElse("no --config file");
        try {
            AgentSection agent = file.agent() == null
                    ? new AgentSection(null, null, null, null, null, null, null, null, null, null, null, null)
                    : file.agent();
            Duration deletionTimeout = file.deletionTimeout() == null
                    ? DEFAULT_DELETION_TIMEOUT
                    : Durations.parse(file.deletionTimeout());
            return new OperatorConfig(namespace, trustConfigMap, agentConfig(agent, namespace, trustConfigMap),
                    deletionTimeout, leaderElection,
                    new NodeStaleness(orDefault(file.staleAfterHeartbeats(), NodeStaleness.DEFAULT_HEARTBEATS)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static AgentConfig agentConfig(AgentSection section, String namespace, ObjectRef trustConfigMap) {
        String trust = section.trustConfigMap();
        if (trust == null) {
            // A pod can mount only ConfigMaps from its own namespace.
            if (!trustConfigMap.namespace().equals(namespace)) {
                throw new IllegalArgumentException("agent.trustConfigMap is required: the trust ConfigMap "
                        + trustConfigMap + " is not in the agent namespace " + namespace
                        + ", and a pod can mount only ConfigMaps from its own namespace");
            }
            trust = trustConfigMap.name();
        }
        AgentConfig defaults = AgentConfig.defaults(section.image(), trust);
        return new AgentConfig(
                defaults.image(),
                orDefault(section.imagePullPolicy(), defaults.imagePullPolicy()),
                orDefault(section.privileged(), defaults.privileged()),
                orDefault(section.capabilities(), defaults.capabilities()),
                orDefault(section.tolerations(), defaults.tolerations()),
                Optional.ofNullable(section.resources()),
                Optional.ofNullable(section.priorityClassName()),
                orDefault(section.pinRoot(), defaults.pinRoot()),
                orDefault(section.healthPort(), defaults.healthPort()),
                orDefault(section.serviceAccountName(), defaults.serviceAccountName()),
                trust,
                orDefault(section.javaOptions(), defaults.javaOptions()));
    }

    private static FileContents read(Path file) {
        YAMLMapper mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        try {
            FileContents contents = mapper.readValue(Files.readString(file), FileContents.class);
            return contents == null ? new FileContents(null, null, null) : contents;
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(file + ": " + e.getOriginalMessage() + " at " + e.getPathReference(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the operator config: " + e.getMessage(), e);
        }
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
