package dev.sigil.agent.node;

import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import java.util.List;
import java.util.Optional;

public interface ProgramHost extends AutoCloseable {
    KernelCapabilities capabilities();                       // crds type, from the start-up probe
    NodeProgramState apply(SignedBpfProgram resource);       // verify (own trust bundle), then load+attach, keep (same
                                                             // generation+loader hash already attached), or replace (new
                                                             // generation: new attached before old unloaded). Never throws for
                                                             // a bad program: returns phase Failed with reason code/message.
    NodeProgramState unload(String resourceName);            // unpin, close, confirm gone by id lookup; phase Unloading→removed
    List<NodeProgramState> adoptPinned();                    // at start: find pins, re-adopt with no detach gap
    List<NodeProgramState> repairDrift();                    // notice detached links / removed pins, repair; returns changed states
    List<NodeProgramState> states();                         // one per resource handled
    Optional<Long> readMapValue(String resourceName, String mapName, int key); // u64 read, e.g. the example's counter
    void close();                                            // leaves pinned programs attached (that is the point of pins)
}
