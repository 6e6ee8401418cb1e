package dev.sigil.crds.signedbpfprogram;

import dev.sigil.crds.SigilApi;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A BPF program signed by a release pipeline, to be loaded on the nodes its selector matches.
 * Cluster-scoped: a BPF program runs on a node, not in a namespace.
 */
@Group(SigilApi.GROUP)
@Version(SigilApi.VERSION)
@Kind("SignedBpfProgram")
@Singular("signedbpfprogram")
@Plural("signedbpfprograms")
@ShortNames("sbpf")
@AdditionalPrinterColumn(name = "Verified", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Verified\")].status")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Targeted", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.targetedNodes")
@AdditionalPrinterColumn(name = "Attached", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.attachedNodes")
@AdditionalPrinterColumn(name = "Failed", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.failedNodes")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class SignedBpfProgram extends CustomResource<SignedBpfProgramSpec, SignedBpfProgramStatus> {
}
