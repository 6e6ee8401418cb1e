{{/* Labels every object of the release carries. */}}
{{- define "sigil.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sigil
{{- end }}

{{/* Selector labels of the operator pods; fixed once installed (Deployment selectors are immutable). */}}
{{- define "sigil.operator.selectorLabels" -}}
app.kubernetes.io/name: sigil-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* An image reference: repository, then @digest if given, else :tag (default: the chart's appVersion). */}}
{{- define "sigil.image" -}}
{{- $repository := required (printf "%s.repository is required" .path) .image.repository -}}
{{- if .image.digest -}}
{{ $repository }}@{{ .image.digest }}
{{- else -}}
{{ $repository }}:{{ .image.tag | default .chart.AppVersion }}
{{- end -}}
{{- end }}

{{/* The agent's service-account user name, as the API server sees it in admission requests. */}}
{{- define "sigil.agent.username" -}}
system:serviceaccount:{{ .Release.Namespace }}:{{ .Values.agent.serviceAccount.name }}
{{- end }}

{{/* The operator's service-account user name, as the API server sees it in admission requests. */}}
{{- define "sigil.operator.username" -}}
system:serviceaccount:{{ .Release.Namespace }}:sigil-operator
{{- end }}
