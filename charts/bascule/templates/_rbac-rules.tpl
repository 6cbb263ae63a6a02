{{/*
What each role calls on the Kubernetes API, and nothing more (see docs/install.md, "RBAC").
  cluster: ClusterRole always (cluster-scoped or all-namespace reads for the GPU capacity view)
  models:  ClusterRole with rbac.clusterWide, otherwise a Role in the release namespace
  local:   Role in the release namespace (Lease; the gateway's and worker's watches and Secrets;
           the controller's `get` of the Secret a Provider names, for Provider status)
Server-side apply of an object that does not exist yet needs create as well as patch.
*/}}
{{- define "bascule.rbacRules" -}}
controller:
  cluster:
    - { apiGroups: [""], resources: [nodes, pods], verbs: [list, watch] }
  models:
    - { apiGroups: [bascule.dev], resources: [models], verbs: [get, list, watch, patch] }
    - { apiGroups: [bascule.dev], resources: [models/status], verbs: [patch] }
    - { apiGroups: [bascule.dev], resources: [models/scale], verbs: [get, update] }
    - { apiGroups: [bascule.dev], resources: [models/finalizers], verbs: [update] }
    - { apiGroups: [bascule.dev], resources: [providers, routes], verbs: [get, list, watch] }
    - { apiGroups: [bascule.dev], resources: [providers/status, routes/status], verbs: [patch] }
    - { apiGroups: [apps], resources: [deployments], verbs: [get, list, watch, create, patch] }
    - { apiGroups: [""], resources: [services], verbs: [get, list, watch, create, patch] }
    - { apiGroups: [""], resources: [events], verbs: [create] }
  local:
    - { apiGroups: [coordination.k8s.io], resources: [leases], verbs: [get, create, update] }
    - { apiGroups: [""], resources: [secrets], verbs: [get] }
gateway:
  local:
    - { apiGroups: [bascule.dev], resources: [models, providers, routes], verbs: [get, list, watch] }
    - { apiGroups: [""], resources: [secrets], verbs: [get, list, watch] }
api:
  cluster:
    - { apiGroups: [""], resources: [nodes, pods], verbs: [list] }
  models:
    - { apiGroups: [bascule.dev], resources: [models, providers, routes], verbs: [get, list, create, patch, delete] }
    - { apiGroups: [""], resources: [events], verbs: [list] }
worker:
  local:
    - { apiGroups: [bascule.dev], resources: [models, providers, routes], verbs: [get, list, watch] }
{{- end -}}
