package dev.sigil.charts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelStrictnessTest {
    @Test
    void findsAMisspeltFieldDeepInAPodTemplate() {
        var deployment = RenderedChart.toModel(RenderedChart.yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - name: c
                          securityContext: {readOnlyRootFileSystem: true}
                """));

        assertThat(ModelStrictness.unknownFields(deployment))
                .singleElement().asString().endsWith("SecurityContext.readOnlyRootFileSystem");
    }

    @Test
    void acceptsAWellFormedObject() {
        var serviceAccount = RenderedChart.toModel(RenderedChart.yaml("""
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: x, labels: {a: b}}
                """));

        assertThat(ModelStrictness.unknownFields(serviceAccount)).isEmpty();
    }
}
