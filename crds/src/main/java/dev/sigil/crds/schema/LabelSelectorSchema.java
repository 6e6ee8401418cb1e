package dev.sigil.crds.schema;

/**
 * Bounds and descriptions for Kubernetes' own {@code LabelSelector}, whose generated schema has neither, as
 * {@link SchemaMergePatch} input for a selector property. Node selectors allow more terms than pod selectors: a
 * resource has one node selector but a pod selector (and namespace selector) per program, and the largest
 * resource must stay within one etcd request.
 */
public final class LabelSelectorSchema {
    private static final String MATCH_LABELS = """
            {"x-kubernetes-map-type": "atomic",
             "properties": {
               "matchLabels": {
                 "description": "Labels that must all match exactly (key: value).",
                 "additionalProperties": {"maxLength": 63},
                 "maxProperties": """;
    private static final String MATCH_EXPRESSIONS = """
            },
               "matchExpressions": {
                 "description": "Label requirements that must all hold.",
                 "x-kubernetes-list-type": "atomic",
                 "maxItems": """;
    private static final String VALUES = """
            ,
                 "items": {
                   "required": ["key", "operator"],
                   "x-kubernetes-validations": [{
                     "rule": "self.operator in ['In', 'NotIn'] ? (has(self.values) && size(self.values) > 0) : (!has(self.values) || size(self.values) == 0)",
                     "message": "values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist"}],
                   "properties": {
                     "key": {"description": "Label key the requirement applies to.", "minLength": 1, "maxLength": 317},
                     "operator": {"description": "In, NotIn, Exists or DoesNotExist.", "enum": ["In", "NotIn", "Exists", "DoesNotExist"]},
                     "values": {"description": "Label values for In and NotIn; empty for Exists and DoesNotExist.", "x-kubernetes-list-type": "atomic", "items": {"maxLength": 63},
                       "maxItems": """;
    private static final String END = "}}}}}}";

    public static final int NODE_MAX_LABELS = 32;
    public static final int NODE_MAX_EXPRESSIONS = 16;
    public static final int NODE_MAX_VALUES = 32;
    public static final int POD_MAX_LABELS = 3;
    public static final int POD_MAX_EXPRESSIONS = 1;
    public static final int POD_MAX_VALUES = 4;

    /** A node selector: up to 32 labels and 16 requirements of up to 32 values. */
    public static final String NODE_SELECTOR = MATCH_LABELS + NODE_MAX_LABELS + MATCH_EXPRESSIONS + NODE_MAX_EXPRESSIONS
            + VALUES + NODE_MAX_VALUES + END;
    /** A pod or namespace selector of a pod target: up to 3 labels and 1 requirement of up to 4 values. */
    public static final String POD_SELECTOR = MATCH_LABELS + POD_MAX_LABELS + MATCH_EXPRESSIONS + POD_MAX_EXPRESSIONS
            + VALUES + POD_MAX_VALUES + END;

    private LabelSelectorSchema() {
    }
}
