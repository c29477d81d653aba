{{/* Names, labels and the pieces every component's resources share. */}}

{{- define "stackpilot.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "stackpilot.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The components, in start order: the registry first, as every service needs it. */}}
{{- define "stackpilot.componentNames" -}}
registry planner applier verifier notifier
{{- end -}}

{{/* The four services (everything but the registry): they run Spring Cloud Stream on Kafka. */}}
{{- define "stackpilot.serviceNames" -}}
planner applier verifier notifier
{{- end -}}

{{/* Name of one component's resources. Call with (dict "root" $ "name" "planner"). */}}
{{- define "stackpilot.componentFullname" -}}
{{- printf "%s-%s" (include "stackpilot.fullname" .root | trunc 50 | trimSuffix "-") .name -}}
{{- end -}}

{{- define "stackpilot.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels of one component. Call with (dict "root" $ "name" "planner"). */}}
{{- define "stackpilot.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stackpilot.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* All labels of one component's resources. Call with (dict "root" $ "name" "planner"). */}}
{{- define "stackpilot.labels" -}}
helm.sh/chart: {{ include "stackpilot.chart" .root }}
{{ include "stackpilot.selectorLabels" . }}
app.kubernetes.io/part-of: stackpilot
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The registry URL every service uses: yours, or the bundled registry's Service. */}}
{{- define "stackpilot.registryUrl" -}}
{{- if .Values.schemaRegistry.url -}}
{{- .Values.schemaRegistry.url -}}
{{- else if .Values.registry.enabled -}}
{{- printf "http://%s.%s.svc:%v" (include "stackpilot.componentFullname" (dict "root" . "name" "registry")) .Release.Namespace .Values.registry.service.port -}}
{{- else -}}
{{- fail "set schemaRegistry.url to your registry, or registry.enabled=true for the bundled one" -}}
{{- end -}}
{{- end -}}

{{/* The image of one component. Call with (dict "root" $ "c" $component). */}}
{{- define "stackpilot.image" -}}
{{- printf "%s:%s" .c.image.repository (default .root.Chart.AppVersion .c.image.tag) -}}
{{- end -}}

{{/* Whether a service reaches Kubernetes clusters (fabric8 FleetClients). */}}
{{- define "stackpilot.usesKube" -}}
{{- if or (eq . "applier") (eq . "verifier") -}}true{{- end -}}
{{- end -}}
