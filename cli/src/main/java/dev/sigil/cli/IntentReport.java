package dev.sigil.cli;

import dev.sigil.signing.intent.AttachIntent;
import dev.sigil.signing.intent.SigilIntent;
import dev.sigil.signing.intent.Target;
import dev.sigil.signing.intent.VerifiedProgram.Binding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a signed intent binds, as {@code sigil verify} and {@code sigil inspect} print it. */
final class IntentReport {
    private IntentReport() {
    }

    /** One clause for verify's summary line. */
    static String summary(Binding binding) {
        return switch (binding) {
            case Binding.Bound bound -> "intent binds " + String.join(", ", bound.intent().programs().stream()
                    .map(program -> program.name() + " at " + describe(program.attach())).toList())
                    + "; maps " + maps(bound.intent()) + "; enforcement at least " + bound.intent().minimumEnforcement()
                    + "; required node labels " + labels(bound.intent())
                    + bound.signedAt().map(time -> "; intent signed " + time).orElse("");
            case Binding.Unbound unbound -> "UNBOUND: no signed intent; admitted by the trust bundle (unbound-programs: "
                    + "Admit), so attach points, maps and enforcement are not signed";
        };
    }

    /** The intent as a nested report. */
    static Map<String, Object> details(SigilIntent intent) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("format", SigilIntent.FORMAT);
        report.put("protocol", intent.protocol());
        report.put("loaderHash", intent.loaderHash());
        report.put("metadataHash", intent.metadataHash());
        Map<String, Object> programs = new LinkedHashMap<>();
        intent.programs().forEach(program -> programs.put(program.name(), describe(program.attach())));
        report.put("programs", programs);
        report.put("maps", maps(intent));
        report.put("minimumEnforcement", intent.minimumEnforcement());
        report.put("requiredNodeLabels", labels(intent));
        return report;
    }

    /** E.g. {@code Xdp(interface matches 'eth*', mode Generic)}. */
    static String describe(AttachIntent attach) {
        List<String> fields = attach.target().entrySet().stream().map(field -> switch (field.getValue()) {
            case Target.Pattern pattern -> field.getKey() + " matches '" + pattern.glob() + "'";
            case Target.Exact exact -> field.getKey() + " " + exact.value();
            case Target.Fixed fixed -> field.getKey() + " " + fixed.value();
            case Target.FixedNumber number -> field.getKey() + " " + number.value();
            case Target.PodSelector pods -> pods.describe();
        }).toList();
        return attach.type() + "(" + String.join(", ", fields) + ")";
    }

    private static String maps(SigilIntent intent) {
        return intent.maps().isEmpty() ? "none" : String.join(", ", intent.maps().stream()
                .map(map -> map.name() + (map.pin() ? " (pinned)" : "")).toList());
    }

    private static String labels(SigilIntent intent) {
        return intent.requiredNodeLabels().isEmpty() ? "none" : String.join(", ", intent.requiredNodeLabels().entrySet()
                .stream().map(label -> label.getKey() + "=" + label.getValue()).toList());
    }
}
