package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SkLookupIntent {
    @Required
    @JsonPropertyDescription("The network namespace file: exact path or glob.")
    private TargetConstraint netns;

    public SkLookupIntent() {
    }

    public SkLookupIntent(TargetConstraint netns) {
        this.netns = netns;
    }

    public TargetConstraint getNetns() {
        return netns;
    }

    public void setNetns(TargetConstraint netns) {
        this.netns = netns;
    }
}
