#!/usr/bin/env node
// Regenerates packages/kube-sim/schemas/k8s-builtin-definitions.json: the OpenAPI definitions of the
// built-in kinds kube-sim serves (and everything they reference), with Kubernetes' own field
// descriptions, read from the type declarations the `kubernetes-models` package ships (generated
// by that package from Kubernetes' OpenAPI spec). Run after upgrading kubernetes-models:
//   node scripts/gen-k8s-schemas.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const modelsDir = dirname(require.resolve('kubernetes-models/package.json'));
const requireFromModels = createRequire(join(modelsDir, 'package.json'));
const machineryDir = dirname(
  requireFromModels.resolve('@kubernetes-models/apimachinery/package.json'),
);
const version = JSON.parse(readFileSync(join(modelsDir, 'package.json'), 'utf8')).version;

/** Root kinds: [directory in kubernetes-models, file name]. */
const ROOTS = [
  ['v1', 'Namespace'],
  ['v1', 'Node'],
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['v1', 'Endpoints'],
  ['v1', 'Secret'],
  ['v1', 'ConfigMap'],
  ['v1', 'Event'],
  ['v1', 'ServiceAccount'],
  ['v1', 'PersistentVolumeClaim'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'ReplicaSet'],
  ['apps/v1', 'StatefulSet'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['policy/v1', 'Eviction'],
  ['discovery.k8s.io/v1', 'EndpointSlice'],
  ['coordination.k8s.io/v1', 'Lease'],
  ['events.k8s.io/v1', 'Event'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['authorization.k8s.io/v1', 'SelfSubjectAccessReview'],
  ['authentication.k8s.io/v1', 'TokenRequest'],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
];

/** `io.k8s.api.apps.v1.Deployment` for a declaration file. */
function definitionName(file) {
  if (file.startsWith(machineryDir)) {
    const rel = relative(machineryDir, file).replace(/\.d\.ts$/, '');
    return `io.k8s.apimachinery.pkg.${rel.split('/').join('.')}`;
  }
  const rel = relative(modelsDir, file).replace(/\.d\.ts$/, '');
  const parts = rel.split('/');
  const name = parts.pop();
  const ver = parts.pop();
  const group = parts.join('/');
  if (group === '') return `io.k8s.api.core.${ver}.${name}`;
  if (group === 'apiextensions.k8s.io')
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${ver}.${name}`;
  return `io.k8s.api.${group.split('.')[0]}.${ver}.${name}`;
}

function resolveImport(fromFile, spec) {
  if (spec.startsWith('.')) return join(dirname(fromFile), spec.replace(/\.js$/, '.d.ts'));
  const m = /^@kubernetes-models\/apimachinery\/(.+)$/.exec(spec);
  if (m) return join(machineryDir, `${m[1]}.d.ts`);
  return undefined;
}

function jsDoc(node) {
  const docs = node.jsDoc ?? [];
  const text = docs.map((d) => (typeof d.comment === 'string' ? d.comment : '')).join('\n');
  return text.trim() || undefined;
}

const definitions = {};
const pending = [];
const seen = new Set();

function enqueue(file) {
  if (seen.has(file)) return definitionName(file);
  seen.add(file);
  pending.push(file);
  return definitionName(file);
}

const SPECIAL = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    type: 'string',
    format: 'int-or-string',
    'x-kubernetes-int-or-string': true,
  },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string', format: 'quantity' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
};

function convertType(node, imports, file) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { type: 'integer' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.ObjectKeyword:
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    case ts.SyntaxKind.LiteralType:
      if (ts.isStringLiteral(node.literal)) return { type: 'string', enum: [node.literal.text] };
      return {};
    case ts.SyntaxKind.UnionType: {
      const parts = node.types.map((t) => convertType(t, imports, file));
      if (parts.every((p) => p.type === 'string' && p.enum))
        return { type: 'string', enum: parts.flatMap((p) => p.enum).sort() };
      if (parts.some((p) => p.type === 'string') && parts.some((p) => p.type === 'integer'))
        return { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true };
      return parts[0] ?? {};
    }
    case ts.SyntaxKind.ArrayType:
      return { type: 'array', items: convertType(node.elementType, imports, file) };
    case ts.SyntaxKind.TypeLiteral: {
      const index = node.members.find((m) => ts.isIndexSignatureDeclaration(m));
      if (index)
        return { type: 'object', additionalProperties: convertType(index.type, imports, file) };
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText();
      if (name === 'Array' && node.typeArguments?.length === 1)
        return { type: 'array', items: convertType(node.typeArguments[0], imports, file) };
      const target = imports.get(name);
      if (!target) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      const def = enqueue(target);
      // As in Kubernetes' OpenAPI v3 documents: a reference in allOf, so siblings can describe it.
      return { allOf: [{ $ref: `#/definitions/${def}` }] };
    }
    default:
      return {};
  }
}

function convertFile(file) {
  const name = definitionName(file);
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
  );
  const imports = new Map();
  const local = new Map();
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st) && st.importClause?.namedBindings) {
      const target = resolveImport(file, st.moduleSpecifier.text);
      if (!target) continue;
      for (const el of st.importClause.namedBindings.elements ?? [])
        imports.set(el.name.text, target);
    }
    if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) local.set(st.name.text, st);
  }
  const base = file
    .split('/')
    .pop()
    .replace(/\.d\.ts$/, '');
  const decl = local.get(`I${base}`);
  if (SPECIAL[name])
    return { ...SPECIAL[name], ...(decl && jsDoc(decl) ? { description: jsDoc(decl) } : {}) };
  if (!decl) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const description = jsDoc(decl);
  if (ts.isTypeAliasDeclaration(decl)) {
    return { ...convertType(decl.type, imports, file), ...(description ? { description } : {}) };
  }
  const properties = {};
  const required = [];
  let gvk;
  const typeMeta = (decl.heritageClauses ?? []).some((h) => h.getText().includes('TypeMeta'));
  let apiVersion;
  let kind;
  for (const m of decl.members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const key = m.name.text ?? m.name.getText();
    const schema = convertType(m.type, imports, file);
    if (typeMeta && key === 'apiVersion' && schema.enum) apiVersion = schema.enum[0];
    if (typeMeta && key === 'kind' && schema.enum) kind = schema.enum[0];
    if (typeMeta && (key === 'apiVersion' || key === 'kind')) delete schema.enum;
    const doc = jsDoc(m);
    properties[key] = { ...(doc ? { description: doc } : {}), ...schema };
    if (!m.questionToken && key !== 'apiVersion' && key !== 'kind') required.push(key);
  }
  if (apiVersion && kind) {
    const slash = apiVersion.indexOf('/');
    gvk = [
      {
        group: slash < 0 ? '' : apiVersion.slice(0, slash),
        version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
        kind,
      },
    ];
  }
  return {
    ...(description ? { description } : {}),
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    ...(gvk ? { 'x-kubernetes-group-version-kind': gvk } : {}),
  };
}

for (const [dir, kind] of ROOTS) enqueue(join(modelsDir, dir, `${kind}.d.ts`));
while (pending.length > 0) {
  const file = pending.shift();
  definitions[definitionName(file)] = convertFile(file);
}

const sorted = Object.fromEntries(
  Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)),
);
const out = join(root, 'packages/kube-sim/schemas/k8s-builtin-definitions.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify({ source: `kubernetes-models@${version}`, definitions: sorted }) + '\n',
);
console.log(`wrote ${Object.keys(sorted).length} definitions to ${relative(root, out)}`);
