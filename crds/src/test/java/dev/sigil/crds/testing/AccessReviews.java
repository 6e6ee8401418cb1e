package dev.sigil.crds.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;

/**
 * SelfSubjectRulesReview and SelfSubjectAccessReview, answered as for a cluster administrator (the mock's
 * client has full access). JOSDK asks for the first before it takes part in leader election.
 */
final class AccessReviews {
    private AccessReviews() {
    }

    static MockResponse answer(RecordedRequest request) {
        ObjectNode review = Serialization.unmarshal(new String(request.getBody().getBytes(), StandardCharsets.UTF_8), ObjectNode.class);
        ObjectNode status = review.putObject("status");
        if (request.getPath().contains("selfsubjectrulesreviews")) {
            ObjectNode everything = status.putArray("resourceRules").addObject();
            everything.putArray("verbs").add("*");
            everything.putArray("apiGroups").add("*");
            everything.putArray("resources").add("*");
            ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
            nonResource.putArray("verbs").add("*");
            nonResource.putArray("nonResourceURLs").add("*");
            status.put("incomplete", false);
        } else {
            status.put("allowed", true);
        }
        return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
    }
}
