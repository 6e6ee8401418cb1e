package dev.sigil.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code kubectl get} shows for a custom resource, computed from the generated CRD's
 * additionalPrinterColumns: the mock API server has no Table support, so tests evaluate the column
 * JSONPaths themselves. Only the JSONPath forms Sigil's CRDs use are understood; any other fails loudly.
 */
public final class PrinterColumns {
    private static final Pattern FILTER = Pattern.compile("(\\w+)\\[\\?\\(@\\.(\\w+)==\"([^\"]*)\"\\)\\]");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<CustomResourceColumnDefinition> columns;

    private PrinterColumns(List<CustomResourceColumnDefinition> columns) {
        this.columns = columns;
    }

    public static PrinterColumns of(CustomResourceDefinition crd) {
        return new PrinterColumns(crd.getSpec().getVersions().getFirst().getAdditionalPrinterColumns());
    }

    /** Column name (upper case, as kubectl prints it) to cell text, NAME first. */
    public Map<String, String> row(HasMetadata resource, Instant now) {
        JsonNode tree = JSON.valueToTree(resource);
        Map<String, String> row = new LinkedHashMap<>();
        row.put("NAME", resource.getMetadata().getName());
        for (CustomResourceColumnDefinition column : columns) {
            JsonNode value = evaluate(tree, column.getJsonPath());
            String cell = value == null || value.isNull() ? "" : value.asText();
            if ("date".equals(column.getType()) && !cell.isEmpty()) {
                cell = age(Duration.between(Instant.parse(cell), now));
            }
            row.put(column.getName().toUpperCase(java.util.Locale.ROOT), cell);
        }
        return row;
    }

    /** The rows laid out the way kubectl pads them. */
    public String table(List<? extends HasMetadata> resources, Instant now) {
        List<Map<String, String>> rows = new ArrayList<>();
        resources.forEach(resource -> rows.add(row(resource, now)));
        List<String> headers = new ArrayList<>(rows.getFirst().keySet());
        Map<String, Integer> widths = new LinkedHashMap<>();
        headers.forEach(header -> widths.put(header, header.length()));
        rows.forEach(row -> row.forEach((header, cell) -> widths.merge(header, cell.length(), Math::max)));
        StringBuilder out = new StringBuilder();
        appendLine(out, headers, widths, header -> header);
        rows.forEach(row -> appendLine(out, headers, widths, row::get));
        return out.toString();
    }

    private static void appendLine(StringBuilder out, List<String> headers, Map<String, Integer> widths,
            java.util.function.Function<String, String> cell) {
        StringBuilder line = new StringBuilder();
        for (String header : headers) {
            line.append(String.format("%-" + (widths.get(header) + 3) + "s", cell.apply(header)));
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static JsonNode evaluate(JsonNode tree, String path) {
        if (!path.startsWith(".")) {
            throw new IllegalArgumentException("unsupported printer-column JSONPath " + path);
        }
        JsonNode current = tree;
        for (String segment : path.substring(1).split("\\.(?![^\\[]*\\])")) {
            if (current == null) {
                return null;
            }
            Matcher filter = FILTER.matcher(segment);
            if (filter.matches()) {
                JsonNode list = current.get(filter.group(1));
                current = null;
                for (JsonNode item : list == null ? List.<JsonNode>of() : list) {
                    if (filter.group(3).equals(item.path(filter.group(2)).asText())) {
                        current = item;
                        break;
                    }
                }
            } else if (segment.matches("\\w+")) {
                current = current.get(segment);
            } else {
                throw new IllegalArgumentException("unsupported printer-column JSONPath segment " + segment + " in " + path);
            }
        }
        return current;
    }

    private static String age(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        return seconds / 3600 + "h";
    }
}
