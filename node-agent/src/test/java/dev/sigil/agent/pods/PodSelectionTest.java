package dev.sigil.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.api.LabelMatcher.InvalidLabelSelectorException;
import dev.sigil.crds.signedbpfprogram.spec.PodTarget;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which of the node's pods a pod target selects: by pod and namespace labels, once the kubelet has made their cgroup. */
class PodSelectionTest {
    private static final String WEB_UID = "11111111-2222-4333-8444-555555555555";
    private static final String DB_UID = "66666666-7777-4888-9999-aaaaaaaaaaaa";
    private static final String PENDING_UID = "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff";

    @TempDir
    Path root;

    private KubeletCgroups cgroups() throws Exception {
        for (String uid : List.of(WEB_UID, DB_UID)) {
            Files.createDirectories(KubeletCgroups.podCgroup(root, CgroupDriver.Cgroupfs, uid, QosClass.Burstable));
        }
        return new KubeletCgroups(root, Optional.of(CgroupDriver.Cgroupfs));
    }

    private static List<NodePod> pods() {
        return List.of(
                new NodePod("shop", "web", WEB_UID, Map.of("app", "web"), Optional.of(QosClass.Burstable)),
                new NodePod("ops", "db", DB_UID, Map.of("app", "web"), Optional.of(QosClass.Burstable)),
                new NodePod("shop", "starting", PENDING_UID, Map.of("app", "web"), Optional.of(QosClass.Burstable)),
                new NodePod("shop", "unclassed", "not-a-uuid", Map.of("app", "web"), Optional.empty()));
    }

    @Test
    void selectsMatchingPodsWhoseCgroupExistsInTheSelectedNamespaces() throws Exception {
        PodTarget everyNamespace = new PodTarget(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web")).build(), null);
        PodTarget payOnly = new PodTarget(everyNamespace.getSelector(),
                new LabelSelectorBuilder().withMatchLabels(Map.of("team", "pay")).build());
        Map<String, Map<String, String>> namespaces = Map.of("shop", Map.of("team", "pay"), "ops", Map.of("team", "ops"));
        KubeletCgroups cgroups = cgroups();

        PodSelection all = PodSelection.of(everyNamespace, "t");
        assertThat(all.readsNamespaces()).isFalse();
        assertThat(all.select(pods(), Map.of(), cgroups)).extracting(PodCgroup::namespace, PodCgroup::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ops", "db"), org.assertj.core.groups.Tuple.tuple("shop", "web"));

        PodSelection pay = PodSelection.of(payOnly, "t");
        assertThat(pay.readsNamespaces()).isTrue();
        assertThat(pay.select(pods(), namespaces, cgroups)).extracting(PodCgroup::name, PodCgroup::cgroup)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web", root.resolve("kubepods/burstable/pod" + WEB_UID)));
        assertThat(pay.select(pods(), Map.of(), cgroups)).as("namespace labels not known yet").isEmpty();
    }

    @Test
    void refusesASelectorThatCannotBeEvaluatedNamingIt() {
        PodTarget broken = new PodTarget(new LabelSelectorBuilder().withMatchExpressions(
                new LabelSelectorRequirement("app", "In", List.of())).build(), null);
        assertThatThrownBy(() -> PodSelection.of(broken, "program p pods")).isInstanceOf(InvalidLabelSelectorException.class)
                .hasMessage("program p pods.selector.matchExpressions[0]: operator In needs values");
    }
}
