package dev.sigil.crds.bpfnodestate;

import dev.sigil.crds.SigilApi;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
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
 * What one node's agent did with the programs it handles. Named after the node; only that node's
 * agent writes it (one writer per object, so thousands of nodes never conflict). Everything lives
 * in the status subresource; the spec stays empty.
 */
@Group(SigilApi.GROUP)
@Version(SigilApi.VERSION)
@Kind("BpfNodeState")
@Singular("bpfnodestate")
@Plural("bpfnodestates")
@ShortNames("bns")
@AdditionalPrinterColumn(name = "Kernel", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.kernel.release",
        getDescription = "Kernel release of the node.")
@AdditionalPrinterColumn(name = "Signatures", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.kernel.signatureVerification",
        getDescription = "Whether the kernel can verify BPF program signatures itself.")
@AdditionalPrinterColumn(name = "Programs", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.programCount",
        getDescription = "SignedBpfPrograms this node handles.")
@AdditionalPrinterColumn(name = "Agent", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.agentVersion",
        getDescription = "Sigil version of the node's agent.")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
// The spec type is Void: drop the empty spec object the generator would otherwise publish, and
// describe the root and status (the generator takes descriptions only from properties).
@SchemaCustomizer(value = SchemaMergePatch.class, input = """
        {"description": "What one node's Sigil agent did with the SignedBpfPrograms it handles, named after the node. Only that node's agent writes it; the operator reads it to fill each SignedBpfProgram's status.",
         "properties": {
           "spec": null,
           "status": {"description": "Written by the node's agent: kernel capabilities and one entry per SignedBpfProgram."}}}
        """)
public class BpfNodeState extends CustomResource<Void, BpfNodeStateStatus> {
}
