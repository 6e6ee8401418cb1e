package dev.sigil.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentClientTest {
    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"shop"}}""";

    @Test
    void theAgentsClientKnowsNoKindItWasNotToldOfWhileFabric8sDefaultSearchesTheClassPath() {
        var config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build();
        try (KubernetesClient agent = AgentClient.connect(config);
                KubernetesClient standard = new KubernetesClientBuilder().withConfig(config).build()) {
            assertThat(agent.getKubernetesSerialization().getRegisteredKubernetesResource("v1", "Pod")).isNull();
            assertThat(standard.getKubernetesSerialization().getRegisteredKubernetesResource("v1", "Pod")).isEqualTo(Pod.class);
        }
    }

    @Test
    void typedReadsNeedNoSearch() {
        try (KubernetesClient agent = AgentClient.connect(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build())) {
            Pod pod = agent.getKubernetesSerialization().unmarshal(POD, Pod.class);
            assertThat(pod.getMetadata().getName()).isEqualTo("web");
            SignedBpfProgram program = agent.getKubernetesSerialization().unmarshal("""
                    {"apiVersion":"sigil.dev/v1alpha1","kind":"SignedBpfProgram","metadata":{"name":"counter"}}""",
                    SignedBpfProgram.class);
            assertThat(program.getMetadata().getName()).isEqualTo("counter");
        }
    }

    @Test
    void javaTimeValuesAreRefusedWhileKubernetesTimestampsRoundTrip() {
        KubernetesSerialization serialization = AgentClient.serialization();

        assertThatThrownBy(() -> serialization.asJson(Instant.EPOCH))
                .hasStackTraceContaining("Java 8 date/time type `java.time.Instant` not supported by default");
        Event event = new EventBuilder().withNewMetadata().withName("counter.1").withNamespace("default").endMetadata()
                .withFirstTimestamp("2026-12-03T12:00:00Z").withNewEventTime("2026-12-03T12:00:00.000001Z").build();
        assertThat(serialization.unmarshal(serialization.asJson(event), Event.class)).isEqualTo(event);
    }

    @Test
    void noResourceTheAgentReadsOrWritesHoldsAJavaTimeValue() {
        assertThat(typesReachableFrom(List.of(SignedBpfProgram.class, BpfNodeState.class, Event.class)))
                .as("types reachable through the fields of the agent's resources")
                .hasSizeGreaterThan(40)
                .noneMatch(type -> type.getPackageName().startsWith("java.time"));
    }

    /** Every class a field of these (or of a class so reached, in Sigil's or Fabric8's model) declares or parameterizes. */
    private static Set<Class<?>> typesReachableFrom(List<Class<?>> roots) {
        Set<Class<?>> seen = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            Class<?> type = todo.pop();
            if (!seen.add(type) || !(type.getName().startsWith("dev.sigil.") || type.getName().startsWith("io.fabric8."))) {
                continue;
            }
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                // CustomResource<Spec, Status> declares its spec and status fields by type variable.
                addClasses(c.getGenericSuperclass(), todo);
                for (Field field : c.getDeclaredFields()) {
                    addClasses(field.getGenericType(), todo);
                }
            }
        }
        return seen;
    }

    private static void addClasses(Type type, Deque<Class<?>> todo) {
        switch (type) {
            case Class<?> c when c.isArray() -> todo.push(c.getComponentType());
            case Class<?> c -> todo.push(c);
            case ParameterizedType p -> {
                addClasses(p.getRawType(), todo);
                for (Type argument : p.getActualTypeArguments()) {
                    addClasses(argument, todo);
                }
            }
            case GenericArrayType a -> addClasses(a.getGenericComponentType(), todo);
            default -> {
                // type variables and wildcards: their bounds are declared where they are bound
            }
        }
    }
}
