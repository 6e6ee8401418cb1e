package dev.sigil.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.api.SpecVerifier;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.intent.VerifiedProgram;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/** examples/gitops: the committed program verifies against the committed trust, and the health check works. */
class GitOpsExampleTest {
    private static final Path EXAMPLE = RenderedChart.repositoryRoot().resolve("examples/gitops");

    @Test
    void committedProgramVerifiesAgainstTheDemoTrustAnchorWithItsSignedIntent() throws Exception {
        SignedBpfProgram program = new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
                .convertValue(yaml(EXAMPLE.resolve("programs/counter.yaml")), SignedBpfProgram.class);

        VerifiedProgram verified = new SpecVerifier(TrustBundle.load(EXAMPLE.resolve("trust/demo-signer.pem")),
                Clock.systemUTC()).verify(program.getSpec());

        assertThat(verified.bundle().signer().subject()).contains("throwaway", "NOT FOR PRODUCTION");
        assertThat(verified.bound()).isTrue();
    }

    @Test
    void trustConfigMapInGitCarriesTheSameAnchorInTheTrustDirectoryLayout(@TempDir Path mounted) throws Exception {
        Map<String, String> data = ((ConfigMap) RenderedChart.toModel(yaml(EXAMPLE.resolve("trust/sigil-trust.yaml")))).getData();
        for (var entry : data.entrySet()) {
            Files.writeString(mounted.resolve(entry.getKey()), entry.getValue());
        }

        assertThat(data.get("demo-signer.pem")).isEqualTo(Files.readString(EXAMPLE.resolve("trust/demo-signer.pem")));
        TrustBundle trust = TrustBundle.load(mounted);
        assertThat(trust.anchors()).hasSize(1);
        assertThat(trust.revocations().certificateFingerprints()).isEmpty();
        assertThat(trust.revocations().loaderHashes()).isEmpty();
    }

    @Test
    void argoCdConfigMapPatchCarriesTheHealthCheckVerbatim() throws IOException {
        String lua = Files.readString(EXAMPLE.resolve("argocd/signedbpfprogram-health.lua"));
        JsonNode patch = yaml(EXAMPLE.resolve("argocd/argocd-cm-patch.yaml"));

        assertThat(patch.at("/data/resource.customizations.health.sigil.dev_SignedBpfProgram").asText()).isEqualTo(lua);
    }

    @Test
    void healthCheckWaitsForTheOperator() throws IOException {
        JsonNode program = yaml(EXAMPLE.resolve("programs/counter.yaml"));

        assertThat(health(program)).containsEntry("status", "Progressing");
    }

    @Test
    void healthCheckReportsHealthyWhenReady() throws IOException {
        JsonNode program = withStatus("""
                observedGeneration: 1
                conditions:
                  - {type: Verified, status: "True", reason: SignatureValid}
                  - {type: Ready, status: "True", reason: AllNodesAttached, message: 3 of 3 nodes attached}
                  - {type: Degraded, status: "False", reason: NoFailures}
                """);

        assertThat(health(program)).containsEntry("status", "Healthy").containsEntry("message", "3 of 3 nodes attached");
    }

    @Test
    void healthCheckReportsDegradedWhenTheSignatureFails() throws IOException {
        JsonNode program = withStatus("""
                observedGeneration: 1
                conditions:
                  - {type: Verified, status: "False", reason: UntrustedSigner, message: not in the trust bundle}
                  - {type: Ready, status: "False", reason: NotVerified}
                """);

        assertThat(health(program)).containsEntry("status", "Degraded")
                .containsEntry("message", "Not verified (UntrustedSigner): not in the trust bundle");
    }

    @Test
    void healthCheckReportsDegradedWhenANodeFails() throws IOException {
        JsonNode program = withStatus("""
                observedGeneration: 1
                conditions:
                  - {type: Verified, status: "True", reason: SignatureValid}
                  - {type: Ready, status: "False", reason: NodesFailing}
                  - {type: Degraded, status: "True", reason: NodesFailing, message: 1 node failed}
                """);

        assertThat(health(program)).containsEntry("status", "Degraded").containsEntry("message", "NodesFailing: 1 node failed");
    }

    @Test
    void healthCheckIgnoresStatusOfAnOlderGeneration() throws IOException {
        JsonNode program = withStatus("""
                observedGeneration: 1
                conditions:
                  - {type: Ready, status: "True", reason: AllNodesAttached}
                """);
        ((ObjectNode) program.path("metadata")).put("generation", 2);

        assertThat(health(program)).containsEntry("status", "Progressing");
    }

    private static JsonNode withStatus(String status) throws IOException {
        ObjectNode program = (ObjectNode) yaml(EXAMPLE.resolve("programs/counter.yaml"));
        ((ObjectNode) program.path("metadata")).put("generation", 1);
        program.set("status", RenderedChart.yaml(status));
        return program;
    }

    /** Runs the health check as Argo CD does: the resource as the global {@code obj}, the script's return value. */
    private static Map<String, String> health(JsonNode resource) throws IOException {
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(resource));
        LuaValue result = globals.load(Files.readString(EXAMPLE.resolve("argocd/signedbpfprogram-health.lua"))).call();
        return Map.of("status", result.get("status").tojstring(), "message", result.get("message").tojstring());
    }

    private static LuaValue toLua(JsonNode node) {
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            node.properties().forEach(field -> table.set(field.getKey(), toLua(field.getValue())));
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, toLua(node.get(i)));
            }
            return table;
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asLong());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
    }

    private static JsonNode yaml(Path file) throws IOException {
        return RenderedChart.yaml(Files.readString(file));
    }
}
