{{/*
The Spring configuration of one component, as YAML: what the chart derives from the values
(Kafka, registry, clusters, ports, mounted files), with the component's `config` merged over it.
Call with (dict "root" $ "name" "planner").
*/}}
{{- define "stackpilot.config" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $c := index $root.Values $name -}}
{{- $base := "" -}}
{{- if eq $name "registry" -}}
{{- $base = include "stackpilot.config.registry" . -}}
{{- else -}}
{{- $base = include "stackpilot.config.service" . -}}
{{- end -}}
{{- $merged := mustMergeOverwrite (fromYaml $base) (deepCopy (default (dict) $c.config)) -}}
{{- toYaml $merged -}}
{{- end -}}

{{- define "stackpilot.config.registry" -}}
{{- $v := .root.Values -}}
server:
  port: {{ $v.registry.port }}
  shutdown: graceful
stackpilot:
  registry:
    bootstrap-servers: {{ $v.kafka.bootstrapServers | quote }}
    topic: {{ $v.registry.topic | quote }}
    replication-factor: {{ $v.kafka.replicationFactor }}
    init-timeout: {{ $v.registry.initTimeout }}
    write-timeout: {{ $v.registry.writeTimeout }}
management:
  endpoint:
    health:
      probes:
        enabled: true
{{- end -}}

{{- define "stackpilot.config.service" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $name := .name -}}
{{- $c := index $v $name -}}
server:
  port: {{ $c.port }}
  shutdown: graceful
{{- with $v.kafka.binderConfiguration }}
spring:
  cloud:
    stream:
      kafka:
        binder:
          configuration:
            {{- toYaml . | nindent 12 }}
{{- end }}
stackpilot:
  kafka:
    bootstrap-servers: {{ $v.kafka.bootstrapServers | quote }}
    replication-factor: {{ $v.kafka.replicationFactor }}
  registry:
    url: {{ include "stackpilot.registryUrl" $root | quote }}
{{- if $v.tracing.otlpEndpoint }}
  tracing:
    otlp-endpoint: {{ $v.tracing.otlpEndpoint | quote }}
    sampling-probability: {{ $v.tracing.samplingProbability }}
{{- end }}
{{- if include "stackpilot.usesKube" $name }}
  kube:
    request-timeout: {{ $v.kube.requestTimeout }}
    max-connections-per-cluster: {{ $v.kube.maxConnectionsPerCluster }}
    {{- if $v.kube.kubeconfig.existingSecret }}
    kubeconfig: /etc/stackpilot/kube/{{ $v.kube.kubeconfig.key }}
    {{- end }}
    {{- with $v.kube.contexts }}
    contexts:
      {{- toYaml . | nindent 6 }}
    {{- end }}
{{- end }}
{{- if eq $name "applier" }}
  applier:
    concurrency: {{ $c.concurrency | default (max 1 (div 6 (int $c.replicaCount))) }}
{{- end }}
{{- if eq $name "verifier" }}
  verifier:
    {{- with $c.targets }}
    targets:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- with $c.clusters }}
    clusters:
      {{- toYaml . | nindent 6 }}
    {{- end }}
{{- end }}
{{- if eq $name "notifier" }}
  notifier:
    group: {{ $c.group | quote }}
    internal-partitions: {{ $c.internalPartitions }}
    secrets:
      dir: /var/run/secrets/stackpilot
    webhook:
      receiver: {{ $c.webhook.receiver | quote }}
      {{- if $c.webhook.url }}
      url: {{ $c.webhook.url | quote }}
      {{- end }}
    {{- if or $c.routing.existingConfigMap $c.routing.inline }}
    routing:
      file: /etc/stackpilot/routing/{{ $c.routing.key }}
    {{- end }}
{{- end }}
management:
  endpoints:
    web:
      exposure:
        include: health,info,prometheus
  endpoint:
    health:
      probes:
        enabled: true
{{- end -}}
