package dev.sigil.operator.nodes;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

/**
 * An informer store that keeps of each SignedBpfProgram what decides where agents go: its identity, generation
 * and deletion, its node selector, and its verdict (observed generation and conditions). The signed pieces, tens
 * of kilobytes a program, stay out: the program controller holds them once.
 */
public final class PlacementOnlyProgramStore extends TransformingItemStore<SignedBpfProgram> {
    public PlacementOnlyProgramStore() {
        super(PlacementOnlyProgramStore::slim);
    }

    static SignedBpfProgram slim(SignedBpfProgram program) {
        SignedBpfProgram slim = new SignedBpfProgram();
        slim.setMetadata(MetadataOnlyNodeStore.identity(program.getMetadata())
                .withGeneration(program.getMetadata().getGeneration())
                .build());
        if (program.getSpec() != null) {
            SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
            spec.setNodeSelector(program.getSpec().getNodeSelector());
            slim.setSpec(spec);
        }
        SignedBpfProgramStatus status = program.getStatus();
        if (status != null) {
            SignedBpfProgramStatus verdict = new SignedBpfProgramStatus();
            verdict.setObservedGeneration(status.getObservedGeneration());
            verdict.setConditions(status.getConditions());
            slim.setStatus(verdict);
        }
        return slim;
    }
}
