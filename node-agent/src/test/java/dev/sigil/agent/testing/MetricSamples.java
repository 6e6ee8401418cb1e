package dev.sigil.agent.testing;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A scrape in Prometheus' text format, read back: each sample ({@code name{labels}}) with its value. */
public record MetricSamples(String text, Map<String, Double> values) {

    public static MetricSamples of(String text) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new MetricSamples(text, values);
    }

    /** The value of {@code sample}, e.g. {@code sigil_agent_programs{phase="Attached"}}; fails when it is absent. */
    public double value(String sample) {
        Double value = values.get(sample);
        if (value == null) {
            throw new AssertionError("no sample " + sample + " in:\n" + text);
        }
        return value;
    }

    /** The names of every sample, without labels. */
    public Set<String> names() {
        return values.keySet().stream().map(sample -> sample.replaceFirst("\\{.*", ""))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Each {@code # TYPE name type} line, as name to type. */
    public Map<String, String> types() {
        return Arrays.stream(text.split("\n")).filter(line -> line.startsWith("# TYPE "))
                .map(line -> line.substring("# TYPE ".length()).split(" "))
                .collect(Collectors.toMap(parts -> parts[0], parts -> parts[1]));
    }
}
