package dev.sigil.crds.testing;

import dev.sigil.crds.schema.Violation;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;
import java.util.stream.Collectors;

/** A refused request, answered with the Status body a real API server sends. */
final class ApiErrors extends RuntimeException {
    private final transient Status status;

    private ApiErrors(Status status) {
        super(status.getMessage(), null, false, false);
        this.status = status;
    }

    /**
     * 422 Invalid, as {@code apierrors.NewInvalid} builds it: {@code Kind.group "name" is invalid: …} and one
     * cause per violation.
     */
    static ApiErrors invalid(String kind, String group, String name, List<Violation> violations) {
        String qualifiedKind = group.isEmpty() ? kind : kind + "." + group;
        String errors = violations.size() == 1
                ? violations.getFirst().toString()
                : violations.stream().map(Violation::toString).collect(Collectors.joining(", ", "[", "]"));
        return new ApiErrors(new StatusBuilder()
                .withStatus("Failure")
                .withCode(422)
                .withReason("Invalid")
                .withMessage(qualifiedKind + " " + Violation.quote(name) + " is invalid: " + errors)
                .withNewDetails()
                    .withName(name)
                    .withGroup(group)
                    .withKind(kind)
                    .withCauses(violations.stream().map(violation -> new StatusCauseBuilder()
                            .withReason(violation.reason())
                            .withMessage(violation.message())
                            .withField(violation.field())
                            .build()).toList())
                .endDetails()
                .build());
    }

    /** 400 BadRequest, e.g. a strict-field-validation request with a field the schema does not declare. */
    static ApiErrors badRequest(String message) {
        return new ApiErrors(new StatusBuilder().withStatus("Failure").withCode(400).withReason("BadRequest")
                .withMessage(message).build());
    }

    /** 404 NotFound for {@code resource "name"}, e.g. {@code namespaces "sigil-system" not found}. */
    static ApiErrors notFound(String resource, String name) {
        return new ApiErrors(new StatusBuilder().withStatus("Failure").withCode(404).withReason("NotFound")
                .withMessage(resource + " " + Violation.quote(name) + " not found")
                .withNewDetails().withName(name).withKind(resource).endDetails()
                .build());
    }

    MockResponse response() {
        status.setApiVersion("v1");
        status.setKind("Status");
        return new MockResponse().setResponseCode(status.getCode()).setBody(Serialization.asJson(status));
    }
}
