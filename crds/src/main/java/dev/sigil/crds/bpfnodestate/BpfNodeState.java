package dev.sigil.crds.bpfnodestate;

import dev.sigil.crds.SigilApi;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
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
        jsonPath = ".status.kernel.release")
@AdditionalPrinterColumn(name = "Signatures", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.kernel.signatureVerification")
@AdditionalPrinterColumn(name = "Programs", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.programCount")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class BpfNodeState extends CustomResource<Void, BpfNodeStateStatus> {
}
