{{/* The chart name, or nameOverride. */}}
{{- define "continuum.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Base name of the resources: fullnameOverride, else <release>-<name> (just <release> when it contains the name). */}}
{{- define "continuum.fullname" -}}
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

{{- define "continuum.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "continuum.labels" -}}
helm.sh/chart: {{ include "continuum.chart" . }}
{{ include "continuum.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select all pods of this cluster. */}}
{{- define "continuum.selectorLabels" -}}
app.kubernetes.io/name: {{ include "continuum.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The label of the pods that Cluster Bootstrap discovers, and the service name it looks up. */}}
{{- define "continuum.bootstrapLabel" -}}continuum.io/cluster{{- end }}
{{- define "continuum.bootstrapServiceName" -}}{{ include "continuum.fullname" . }}{{- end }}

{{/* The label carrying a pod's zone. */}}
{{- define "continuum.zoneLabel" -}}continuum.io/zone{{- end }}

{{- define "continuum.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "continuum.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret with the Cassandra credentials, or "" when there is none. */}}
{{- define "continuum.cassandraSecret" -}}
{{- if .Values.cassandra.existingSecret }}
{{- .Values.cassandra.existingSecret }}
{{- else if .Values.cassandra.username }}
{{- printf "%s-cassandra" (include "continuum.fullname" .) }}
{{- end }}
{{- end }}

{{/* The topology of all zones in compact form: edge-a:edge>cloud,cloud:cloud. */}}
{{- define "continuum.topology" -}}
{{- $parts := list }}
{{- range .Values.zones }}
{{- $part := printf "%s:%s" .name .tier }}
{{- range (.fallback | default list) }}
{{- $part = printf "%s>%s" $part . }}
{{- end }}
{{- $parts = append $parts $part }}
{{- end }}
{{- join "," $parts }}
{{- end }}

{{/* The pods that must answer before a new cluster forms. */}}
{{- define "continuum.requiredContacts" -}}
{{- $total := 0 }}
{{- range .Values.zones }}
{{- $total = add $total (int .replicas) }}
{{- end }}
{{- if gt (int .Values.cluster.requiredContacts) 0 }}
{{- .Values.cluster.requiredContacts }}
{{- else }}
{{- max $total 1 }}
{{- end }}
{{- end }}

{{/* Fails the rendering with a message saying what to fix when the values are inconsistent. */}}
{{- define "continuum.validate" -}}
{{- $zones := .Values.zones | default list }}
{{- if not $zones }}
{{- fail "zones: declare at least one zone" }}
{{- end }}
{{- $names := list }}
{{- $total := 0 }}
{{- $base := include "continuum.fullname" . }}
{{- range $zones }}
{{- if not .name }}
{{- fail "zones: every zone needs a name" }}
{{- end }}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" .name) }}
{{- fail (printf "zones: zone name %q must be a lower-case DNS label (a-z, 0-9, -)" .name) }}
{{- end }}
{{- if gt (len (printf "%s-%s" $base .name)) 63 }}
{{- fail (printf "zones: %s-%s is longer than 63 characters; shorten the zone name or set fullnameOverride" $base .name) }}
{{- end }}
{{- if has .name $names }}
{{- fail (printf "zones: zone %q is declared twice" .name) }}
{{- end }}
{{- $names = append $names .name }}
{{- if not (has .tier (list "edge" "cloud")) }}
{{- fail (printf "zones: zone %q has tier %v; expected edge or cloud" .name .tier) }}
{{- end }}
{{- if or (not (or (kindIs "float64" .replicas) (kindIs "int64" .replicas) (kindIs "int" .replicas))) (lt (int .replicas) 0) }}
{{- fail (printf "zones: zone %q needs replicas, a number >= 0" .name) }}
{{- end }}
{{- $total = add $total (int .replicas) }}
{{- end }}
{{- range $zones }}
{{- $zone := .name }}
{{- range (.fallback | default list) }}
{{- if not (has . $names) }}
{{- fail (printf "zones: zone %q falls back on %q, which is not a zone of this chart" $zone .) }}
{{- end }}
{{- if eq . $zone }}
{{- fail (printf "zones: zone %q falls back on itself" $zone) }}
{{- end }}
{{- end }}
{{- end }}
{{- if not (has .Values.persistence.backend (list "cassandra" "embedded")) }}
{{- fail (printf "persistence.backend is %q; expected cassandra or embedded" .Values.persistence.backend) }}
{{- end }}
{{- if and (eq .Values.persistence.backend "embedded") (gt $total 1) }}
{{- fail "persistence.backend embedded keeps the journal inside one pod: use cassandra for more than one replica" }}
{{- end }}
{{- if and .Values.cassandra.username .Values.cassandra.existingSecret }}
{{- fail "cassandra: set either username/password or existingSecret, not both" }}
{{- end }}
{{- end }}
