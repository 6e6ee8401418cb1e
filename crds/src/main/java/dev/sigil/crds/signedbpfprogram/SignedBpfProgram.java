package dev.sigil.crds.signedbpfprogram;

import dev.sigil.crds.SigilApi;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import dev.sigil.crds.schema.SchemaMergePatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
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
        jsonPath = ".status.conditions[?(@.type==\"Verified\")].status",
        getDescription = "Whether the signature verified against the cluster trust bundle.")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        getDescription = "Whether every targeted node has the current generation attached.")
@AdditionalPrinterColumn(name = "Targeted", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.targetedNodes",
        getDescription = "Nodes the node selector matches.")
@AdditionalPrinterColumn(name = "Attached", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.attachedNodes",
        getDescription = "Targeted nodes with the program attached.")
@AdditionalPrinterColumn(name = "Failed", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.failedNodes",
        getDescription = "Targeted nodes that failed to verify, load or attach it.")
@AdditionalPrinterColumn(name = "Stale", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.staleNodes",
        getDescription = "Targeted nodes whose agent has stopped reporting: what they run is unknown.")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
// The generator takes descriptions only from properties; the root, spec and status get theirs here.
@SchemaCustomizer(value = SchemaMergePatch.class, input = """
        {"description": "A BPF program signed by a release pipeline. Sigil's operator verifies the signature against the cluster's trust bundle and the node agents on matching nodes verify it again, load it through the signed light-skeleton loader and attach it.",
         "properties": {
           "spec": {"description": "The signed pieces (loader, metadata, hash, signature), the programs' attach points, and which nodes run it. Written by 'sigil sign'; changing loader, metadata or hash without re-signing makes verification fail, and so does any difference from the signed intent (spec.intent) in programs, attach points, maps, enforcement or required node labels."},
           "status": {"description": "Written by the operator: verification result, signer, and the node agents' reports folded into counts and conditions."}}}
        """)
public class SignedBpfProgram extends CustomResource<SignedBpfProgramSpec, SignedBpfProgramStatus> {
}
