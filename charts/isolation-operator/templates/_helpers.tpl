{{/* Chart name, overridable. */}}
{{- define "isolation-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: the prefix of every object this chart makes. */}}
{{- define "isolation-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "isolation-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels. Never app.kubernetes.io/managed-by=isolation-operator: the operator watches objects selected by that
label as its own tenants' objects. Helm's value ("Helm") keeps the chart's objects out of its caches.
*/}}
{{- define "isolation-operator.labels" -}}
helm.sh/chart: {{ include "isolation-operator.chart" . }}
{{ include "isolation-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: isolation-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "isolation-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "isolation-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "isolation-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "isolation-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "isolation-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* RBAC subject: the operator's ServiceAccount. */}}
{{- define "isolation-operator.subject" -}}
- kind: ServiceAccount
  name: {{ include "isolation-operator.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end }}

{{/* cert-manager's CA injector writes caBundle from the Certificate's secret. */}}
{{- define "isolation-operator.webhookAnnotations" -}}
{{- if .Values.webhook.certManager.enabled }}
annotations:
  cert-manager.io/inject-ca-from: {{ .Release.Namespace }}/{{ include "isolation-operator.fullname" . }}-webhook
{{- end }}
{{- end }}

{{/* What every webhook shares: the Service or a base URL, caBundle, timeouts, fail closed. */}}
{{- define "isolation-operator.webhookCommon" -}}
{{- $v := .root.Values.webhook -}}
admissionReviewVersions: [v1]
sideEffects: None
matchPolicy: Equivalent
failurePolicy: {{ .failurePolicy | default $v.failurePolicy }}
timeoutSeconds: {{ .timeoutSeconds | default $v.timeoutSeconds }}
clientConfig:
  {{- if $v.url }}
  url: {{ printf "%s%s" (trimSuffix "/" $v.url) .path | quote }}
  {{- else }}
  service:
    name: {{ .fullname }}-webhook
    namespace: {{ .root.Release.Namespace }}
    port: 443
    path: {{ .path }}
  {{- end }}
  {{- if .caBundle }}
  caBundle: {{ .caBundle }}
  {{- end }}
{{- end }}
