// helm-render renders a Helm chart the way `helm template` does, for tests on machines without
// the helm binary: Go text/template with the sprig functions plus Helm's own (include, tpl,
// required, toYaml, fromYaml, toJson, fromJson, lookup), and .Values, .Release, .Chart,
// .Capabilities, .Files and .Template. Build it in GOPATH mode with Debian's packages:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o helm-render ./test/helm/render
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

type valueFiles []string

func (v *valueFiles) String() string     { return strings.Join(*v, ",") }
func (v *valueFiles) Set(s string) error { *v = append(*v, s); return nil }

type capabilities struct {
	KubeVersion map[string]string
	APIVersions apiVersions
}

type apiVersions []string

// Has reports whether a group/version (or group/version/Kind) is available, like Helm's.
func (a apiVersions) Has(v string) bool {
	for _, x := range a {
		if x == v {
			return true
		}
	}
	return false
}

type files map[string][]byte

func (f files) Get(name string) string { return string(f[name]) }

func (f files) Glob(pattern string) files {
	out := files{}
	for name, data := range f {
		if ok, _ := path.Match(pattern, name); ok {
			out[name] = data
		}
	}
	return out
}

func main() {
	var values valueFiles
	chartDir := flag.String("chart", "", "chart directory")
	release := flag.String("name", "bascule", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	kubeVersion := flag.String("kube-version", "1.32.0", "Kubernetes version for .Capabilities")
	notes := flag.Bool("notes", false, "print the rendered NOTES.txt instead of the manifests")
	hooks := flag.String("hooks", "include", "hook documents (helm.sh/hook): include (as helm template), exclude (the release manifest), only")
	ownership := flag.Bool("ownership", false, "add Helm's ownership annotations (meta.helm.sh/release-name, release-namespace) as helm install does")
	lookupFile := flag.String("lookup", "", "YAML stream of objects that lookup finds, as if in the cluster (default: none, as helm template)")
	flag.Var(&values, "f", "values file (repeatable; later files win)")
	flag.Parse()
	if *chartDir == "" {
		fail(errors.New("--chart is required"))
	}
	cluster, err := readObjects(*lookupFile)
	if err != nil {
		fail(err)
	}
	if *hooks != "include" && *hooks != "exclude" && *hooks != "only" {
		fail(fmt.Errorf("--hooks: %q is not include, exclude or only", *hooks))
	}
	out, err := render(*chartDir, values, *release, *namespace, *kubeVersion, *notes, cluster)
	if err == nil && !*notes {
		out, err = postProcess(out, *hooks, *ownership, *release, *namespace)
	}
	if err != nil {
		fail(err)
	}
	fmt.Print(out)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "helm-render: %v\n", err)
	os.Exit(1)
}

func readYAML(file string) (map[string]interface{}, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return out, nil
}

// mergeValues merges src over dst as Helm does: maps merge deeply, null deletes a key.
func mergeValues(dst, src map[string]interface{}) map[string]interface{} {
	for k, v := range src {
		if v == nil {
			delete(dst, k)
			continue
		}
		if sm, ok := v.(map[string]interface{}); ok {
			if dm, ok := dst[k].(map[string]interface{}); ok {
				dst[k] = mergeValues(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
	return dst
}

func chartMeta(meta map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range meta {
		out[strings.ToUpper(k[:1])+k[1:]] = v
	}
	return out
}

func render(chartDir string, valueFiles []string, release, namespace, kubeVersion string, notes bool, cluster []map[string]interface{}) (string, error) {
	meta, err := readYAML(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return "", err
	}
	vals, err := readYAML(filepath.Join(chartDir, "values.yaml"))
	if errors.Is(err, os.ErrNotExist) {
		vals, err = map[string]interface{}{}, nil // a chart without values (bascule-crds)
	}
	if err != nil {
		return "", err
	}
	for _, f := range valueFiles {
		override, err := readYAML(f)
		if err != nil {
			return "", err
		}
		vals = mergeValues(vals, override)
	}
	chartName, _ := meta["name"].(string)
	allFiles := files{}
	templates := map[string]string{}
	err = filepath.Walk(chartDir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(chartDir, p)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(rel, "templates/") {
			templates[path.Join(chartName, rel)] = string(data)
		} else {
			allFiles[rel] = data
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	parts := strings.SplitN(strings.TrimPrefix(kubeVersion, "v"), ".", 3)
	for len(parts) < 2 {
		parts = append(parts, "0")
	}
	top := map[string]interface{}{
		"Values": vals,
		"Release": map[string]interface{}{
			"Name": release, "Namespace": namespace, "Service": "Helm",
			"IsInstall": true, "IsUpgrade": false, "Revision": 1,
		},
		"Chart": chartMeta(meta),
		"Capabilities": capabilities{
			KubeVersion: map[string]string{"Version": "v" + kubeVersion, "GitVersion": "v" + kubeVersion, "Major": parts[0], "Minor": parts[1]},
			APIVersions: apiVersions{"v1", "apps/v1", "policy/v1", "autoscaling/v2", "networking.k8s.io/v1",
				"rbac.authorization.k8s.io/v1", "coordination.k8s.io/v1", "apiextensions.k8s.io/v1",
				"monitoring.coreos.com/v1", "gateway.networking.k8s.io/v1"},
		},
		"Files": allFiles,
	}

	root := template.New("chart").Option("missingkey=zero")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	includeDepth := 0
	funcs["include"] = func(name string, data interface{}) (string, error) {
		includeDepth++
		defer func() { includeDepth-- }()
		if includeDepth > 100 {
			return "", fmt.Errorf("include %q: too deep", name)
		}
		var buf bytes.Buffer
		err := root.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = t.Execute(&buf, data)
		return buf.String(), err
	}
	funcs["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return nil, errors.New(msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return nil, errors.New(msg)
		}
		return v, nil
	}
	funcs["toYaml"] = func(v interface{}) string {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(v); err != nil {
			return ""
		}
		return strings.TrimSuffix(buf.String(), "\n")
	}
	funcs["fromYaml"] = func(s string) map[string]interface{} {
		out := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &out); err != nil {
			out["Error"] = err.Error()
		}
		return out
	}
	funcs["fromYamlArray"] = func(s string) []interface{} {
		var out []interface{}
		if err := yaml.Unmarshal([]byte(s), &out); err != nil {
			return []interface{}{err.Error()}
		}
		return out
	}
	funcs["toJson"] = func(v interface{}) string {
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(b)
	}
	funcs["fromJson"] = func(s string) map[string]interface{} {
		out := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			out["Error"] = err.Error()
		}
		return out
	}
	funcs["fromJsonArray"] = func(s string) []interface{} {
		var out []interface{}
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			return []interface{}{err.Error()}
		}
		return out
	}
	// lookup finds the --lookup objects (none by default, as in `helm template`): one object by
	// name, or a list ({items}) when name is empty; an empty map when nothing matches.
	funcs["lookup"] = func(apiVersion, kind, ns, name string) map[string]interface{} {
		var items []interface{}
		for _, o := range cluster {
			meta, _ := o["metadata"].(map[string]interface{})
			if o["apiVersion"] != apiVersion || o["kind"] != kind {
				continue
			}
			if oNs, _ := meta["namespace"].(string); ns != "" && oNs != ns {
				continue
			}
			if name == "" {
				items = append(items, o)
			} else if meta["name"] == name {
				return o
			}
		}
		if name == "" && len(items) > 0 {
			return map[string]interface{}{"items": items}
		}
		return map[string]interface{}{}
	}
	root.Funcs(funcs)

	names := make([]string, 0, len(templates))
	for name := range templates {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := root.New(name).Parse(templates[name]); err != nil {
			return "", err
		}
	}

	var out strings.Builder
	for _, name := range names {
		base := path.Base(name)
		isNotes := base == "NOTES.txt"
		if strings.HasPrefix(base, "_") || isNotes != notes {
			continue
		}
		data := map[string]interface{}{}
		for k, v := range top {
			data[k] = v
		}
		data["Template"] = map[string]interface{}{"Name": name, "BasePath": path.Join(chartName, "templates")}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		if strings.TrimSpace(text) == "" {
			continue
		}
		if notes {
			out.WriteString(text)
			continue
		}
		fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", name, strings.TrimSpace(text))
	}
	return out.String(), nil
}

// readObjects reads a YAML stream of Kubernetes objects ("" reads none).
func readObjects(file string) ([]map[string]interface{}, error) {
	if file == "" {
		return nil, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var out []map[string]interface{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		o := map[string]interface{}{}
		if err := dec.Decode(&o); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		if len(o) > 0 {
			out = append(out, o)
		}
	}
}

// postProcess keeps, drops or keeps only hook documents, and adds Helm's ownership annotations
// to the release's objects (as helm install records them; hooks are not owned by the release).
func postProcess(stream, hooks string, ownership bool, release, namespace string) (string, error) {
	if hooks == "include" && !ownership {
		return stream, nil
	}
	var out strings.Builder
	for _, doc := range strings.Split(stream, "\n---\n") {
		doc = strings.TrimPrefix(doc, "---\n")
		if strings.TrimSpace(doc) == "" {
			continue
		}
		var node yaml.Node
		if err := yaml.Unmarshal([]byte(doc), &node); err != nil {
			return "", fmt.Errorf("rendered YAML: %v", err)
		}
		if len(node.Content) == 0 {
			continue
		}
		meta := mapValue(node.Content[0], "metadata")
		isHook := meta != nil && mapValue(mapValue(meta, "annotations"), "helm.sh/hook") != nil
		if (hooks == "exclude" && isHook) || (hooks == "only" && !isHook) {
			continue
		}
		if ownership && !isHook && meta != nil {
			annotations := mapValue(meta, "annotations")
			if annotations == nil {
				annotations = &yaml.Node{Kind: yaml.MappingNode}
				meta.Content = append(meta.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "annotations"}, annotations)
			}
			for _, kv := range [][2]string{{"meta.helm.sh/release-name", release}, {"meta.helm.sh/release-namespace", namespace}} {
				annotations.Content = append(annotations.Content,
					&yaml.Node{Kind: yaml.ScalarNode, Value: kv[0]}, &yaml.Node{Kind: yaml.ScalarNode, Value: kv[1]})
			}
			var buf bytes.Buffer
			enc := yaml.NewEncoder(&buf)
			enc.SetIndent(2)
			if err := enc.Encode(&node); err != nil {
				return "", err
			}
			doc = strings.TrimSuffix(buf.String(), "\n") // comments (# Source) are kept by the node

		}
		fmt.Fprintf(&out, "---\n%s\n", strings.TrimSpace(doc))
	}
	return out.String(), nil
}

// mapValue is the value node of key in a mapping node (nil when absent or not a mapping).
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
