package dev.sigil.operator.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * JOSDK tags its meters with the resource's API group but leaves the tag out for core resources
 * (Node); Prometheus refuses a second meter of the same name with other tag keys, so the meters of one
 * controller would silently go missing. This names the core group explicitly.
 */
public final class CoreGroupTag implements MeterFilter {
    static final String JOSDK_PREFIX = "operator.sdk.";
    static final String CORE = "core";
    /** JOSDK writes the resource tags bare or with a {@code resource.} prefix, depending on the meter. */
    private static final String[] TAG_PREFIXES = {"", "resource."};

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(JOSDK_PREFIX)) {
            return id;
        }
        Meter.Id mapped = id;
        for (String prefix : TAG_PREFIXES) {
            if (id.getTag(prefix + "kind") != null && id.getTag(prefix + "group") == null) {
                mapped = mapped.withTag(Tag.of(prefix + "group", CORE));
            }
        }
        return mapped;
    }
}
