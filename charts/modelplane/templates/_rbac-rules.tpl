{{/*
What each role calls on the Kubernetes API, and nothing more (see docs/install.md, "RBAC").
  cluster: ClusterRole always (cluster-scoped or all-namespace reads for the GPU capacity view)
  models:  ClusterRole with rbac.clusterWide, otherwise a Role in the release namespace
  local:   Role in the release namespace (Lease; the gateway's and worker's watches and Secrets;
           the controller's `get` of the Secret a Provider names, for Provider status)
Server-side apply of an object that does not exist yet needs create as well as patch.
*/}}
{{- define "modelplane.rbacRules" -}}
controller:
  cluster:
    - { apiGroups: [""], resources: [nodes, pods], verbs: [list, watch] }
  models:
    - { apiGroups: [modelplane.io], resources: [models], verbs: [get, list, watch, patch] }
    - { apiGroups: [modelplane.io], resources: [models/status], verbs: [patch] }
    - { apiGroups: [modelplane.io], resources: [models/scale], verbs: [get, update] }
    - { apiGroups: [modelplane.io], resources: [models/finalizers], verbs: [update] }
    - { apiGroups: [modelplane.io], resources: [providers, routes], verbs: [get, list, watch] }
    - { apiGroups: [modelplane.io], resources: [providers/status, routes/status], verbs: [patch] }
    - { apiGroups: [apps], resources: [deployments], verbs: [get, list, watch, create, patch] }
    - { apiGroups: [""], resources: [services], verbs: [get, list, watch, create, patch] }
    - { apiGroups: [""], resources: [events], verbs: [create] }
  local:
    - { apiGroups: [coordination.k8s.io], resources: [leases], verbs: [get, create, update] }
    - { apiGroups: [""], resources: [secrets], verbs: [get] }
gateway:
  local:
    - { apiGroups: [modelplane.io], resources: [models, providers, routes], verbs: [get, list, watch] }
    - { apiGroups: [""], resources: [secrets], verbs: [get, list, watch] }
api:
  cluster:
    - { apiGroups: [""], resources: [nodes, pods], verbs: [list] }
  models:
    - { apiGroups: [modelplane.io], resources: [models, providers, routes], verbs: [get, list, create, patch, delete] }
    - { apiGroups: [""], resources: [events], verbs: [list] }
worker:
  local:
    - { apiGroups: [modelplane.io], resources: [models, providers, routes], verbs: [get, list, watch] }
{{- end -}}
