{{/* Chart name. */}}
{{- define "bascule.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name prefix of every object. */}}
{{- define "bascule.fullname" -}}
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

{{/* Labels on every object. */}}
{{- define "bascule.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "bascule.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: bascule
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of the control-plane pods (all components). */}}
{{- define "bascule.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bascule.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Image reference. */}}
{{- define "bascule.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The enabled roles, in start order, as a list. */}}
{{- define "bascule.roles" -}}
{{- $roles := list -}}
{{- range $r := list "controller" "gateway" "api" "worker" -}}
{{- if (index $.Values $r).enabled -}}{{- $roles = append $roles $r -}}{{- end -}}
{{- end -}}
{{- toJson $roles -}}
{{- end -}}

{{/*
The control-plane Deployments: [{name, suffix, roles, replicas, resources}] as JSON. One
"combined" Deployment with every enabled role, or one per enabled role with splitRoles.
*/}}
{{- define "bascule.components" -}}
{{- $roles := include "bascule.roles" . | fromJsonArray -}}
{{- $out := list -}}
{{- if .Values.splitRoles -}}
{{- range $r := $roles -}}
{{- $v := index $.Values $r -}}
{{- $out = append $out (dict "name" $r "suffix" (printf "-%s" $r) "roles" (list $r) "replicas" $v.replicas "resources" $v.resources) -}}
{{- end -}}
{{- else if $roles -}}
{{- $out = append $out (dict "name" "combined" "suffix" "" "roles" $roles "replicas" .Values.combined.replicas "resources" .Values.combined.resources) -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* The component that runs a role ("" when none): suffix of its objects. */}}
{{- define "bascule.componentOf" -}}
{{- $role := .role -}}
{{- range $c := include "bascule.components" .root | fromJsonArray -}}
{{- if has $role $c.roles -}}{{- $c.name -}}{{- end -}}
{{- end -}}
{{- end -}}

{{/* Whether the chart runs its own Redis. */}}
{{- define "bascule.redisBundled" -}}
{{- if and .Values.redis.bundled (not .Values.redis.external.url) -}}true{{- end -}}
{{- end -}}

{{/* Redis env vars: REDIS_PASSWORD (when any) then BASCULE_REDIS_URL. */}}
{{- define "bascule.redisEnv" -}}
{{- $secret := .Values.redis.passwordSecret -}}
{{- $url := printf "redis://%s-redis:6379" (include "bascule.fullname" .) -}}
{{- if .Values.redis.external.url -}}
{{- $secret = .Values.redis.external.passwordSecret -}}
{{- $url = .Values.redis.external.url -}}
{{- else if not .Values.redis.bundled -}}
{{- $url = "" -}}
{{- end -}}
{{- if $url }}
{{- if $secret.name }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef: { name: {{ $secret.name | quote }}, key: {{ $secret.key | quote }} }
- name: BASCULE_REDIS_URL
  value: {{ regexReplaceAll "^(rediss?(\\+cluster)?://)" $url "${1}:$(REDIS_PASSWORD)@" | quote }}
{{- else }}
- name: BASCULE_REDIS_URL
  value: {{ $url | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Name of a component's ServiceAccount ({root, component}): serviceAccount.name, else one per Deployment. */}}
{{- define "bascule.serviceAccountName" -}}
{{- .root.Values.serviceAccount.name | default (printf "%s%s" (include "bascule.fullname" .root) .component.suffix) -}}
{{- end -}}

{{/* Whether any pod reads the admin key: gateway, api or worker runs and a Secret is named. */}}
{{- define "bascule.adminKeyUsed" -}}
{{- if and .Values.auth.adminKeySecret.name (or .Values.gateway.enabled .Values.api.enabled .Values.worker.enabled) -}}true{{- end -}}
{{- end -}}
