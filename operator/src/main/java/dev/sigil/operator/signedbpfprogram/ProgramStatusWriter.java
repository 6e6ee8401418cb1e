package dev.sigil.operator.signedbpfprogram;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.List;
import java.util.Map;

/**
 * Writes a program's whole status as one JSON Patch operation ({@code add /status}, which replaces it), and
 * puts the answer in the controller's cache so the next reconcile starts from it.
 *
 * <p>Not JOSDK's default status patch: that is a JSON Patch diff against the cached resource, with list
 * elements addressed by index, applied without a resourceVersion check. When a node's report reconciles the
 * program before the informer has seen the previous write, the diff is computed against a stale copy and
 * addresses the wrong elements of {@code failingNodes} (or none: the server refuses it). Replacing the whole
 * status does not depend on what the server holds; the operator is its only writer, one reconcile at a time.
 */
final class ProgramStatusWriter {
    private ProgramStatusWriter() {
    }

    static void write(SignedBpfProgram program, SignedBpfProgramStatus status, Context<SignedBpfProgram> context) {
        String patch = Serialization.asJson(List.of(Map.of("op", "add", "path", "/status", "value", status)));
        // Patched through a copy naming the resource: by name alone the client would first read it from the
        // server, and through the resource itself it would first copy the whole signed program.
        PrimaryUpdateAndCacheUtils.updateAndCacheResource(program, context, current -> current,
                current -> context.getClient().resource(nameOnly(current))
                        .subresource("status")
                        .patch(PatchContext.of(PatchType.JSON), patch));
    }

    private static SignedBpfProgram nameOnly(SignedBpfProgram program) {
        SignedBpfProgram named = new SignedBpfProgram();
        named.setMetadata(new ObjectMetaBuilder().withName(program.getMetadata().getName()).build());
        return named;
    }
}
