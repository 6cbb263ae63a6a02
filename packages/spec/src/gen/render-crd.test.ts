import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import { describe, expect, it } from 'vitest';
import { CRD_DEFINITIONS } from './crd-definitions.js';
import { renderCrd } from './render-crd.js';
import type { JSONSchemaProps } from './to-structural-schema.js';

type Crd = ConstructorParameters<typeof CustomResourceDefinition>[0];
const crds = CRD_DEFINITIONS.map((d) => renderCrd(d) as unknown as NonNullable<Crd>);

/** Kubernetes' structural-schema rules that the published OpenAPI schema cannot express. */
function structuralViolations(node: JSONSchemaProps, at: string, out: string[]): string[] {
  if (
    node.type === undefined &&
    !node['x-kubernetes-int-or-string'] &&
    !node['x-kubernetes-preserve-unknown-fields']
  ) {
    out.push(`${at}: no type`);
  }
  if (node.properties && node.additionalProperties !== undefined)
    out.push(`${at}: properties and additionalProperties`);
  for (const banned of ['$ref', '$schema', 'oneOf', 'allOf', 'not', 'const', 'nullable']) {
    if (banned in node) out.push(`${at}: ${banned}`);
  }
  if (Array.isArray(node.anyOf) && !node['x-kubernetes-int-or-string']) out.push(`${at}: anyOf`);
  for (const [name, child] of Object.entries(
    (node.properties as Record<string, JSONSchemaProps>) ?? {},
  )) {
    structuralViolations(child, `${at}.${name}`, out);
  }
  if (node.items) structuralViolations(node.items as JSONSchemaProps, `${at}[]`, out);
  if (typeof node.additionalProperties === 'object') {
    structuralViolations(node.additionalProperties as JSONSchemaProps, `${at}.*`, out);
  }
  return out;
}

describe('generated CRDs', () => {
  it('are valid apiextensions.k8s.io/v1 CustomResourceDefinitions', () => {
    for (const crd of crds)
      expect(() => new CustomResourceDefinition(crd).validate()).not.toThrow();
  });

  it('the validator does catch a malformed CRD', () => {
    const broken = structuredClone(crds[0]!) as unknown as { spec: { scope: unknown } };
    broken.spec.scope = 42;
    expect(() => new CustomResourceDefinition(broken as never).validate()).toThrow(/scope/);
  });

  it('are structural schemas', () => {
    for (const crd of crds) {
      const schema = crd.spec.versions[0]!.schema!.openAPIV3Schema as JSONSchemaProps;
      expect(structuralViolations(schema, crd.spec.names.kind, [])).toEqual([]);
      expect((schema.properties as Record<string, unknown>).metadata).toEqual({ type: 'object' });
    }
  });

  it('Model has status and scale subresources, printer columns, short names and the category', () => {
    const model = crds[0]!;
    expect(model.metadata?.name).toBe('models.bascule.dev');
    expect(model.spec.names).toMatchObject({ shortNames: ['mdl'], categories: ['bascule'] });
    const version = model.spec.versions[0]!;
    expect(version.subresources).toEqual({
      status: {},
      scale: {
        specReplicasPath: '.spec.replicas',
        statusReplicasPath: '.status.replicas.ready',
        labelSelectorPath: '.status.selector',
      },
    });
    expect(version.additionalPrinterColumns?.map((c) => c.name)).toEqual([
      'Engine',
      'GPUs',
      'Ready',
      'Desired',
      'Status',
      'Age',
      'Source',
    ]);
    const spec = (version.schema!.openAPIV3Schema!.properties!.spec as JSONSchemaProps)
      .properties as Record<string, JSONSchemaProps>;
    expect(spec.engine).toMatchObject({ type: 'string', enum: ['vllm', 'tgi'] });
    expect(spec.dtype?.default).toBe('auto');
    expect(spec.autoscaling?.default).toEqual({});
    expect(
      (spec.autoscaling?.properties as Record<string, JSONSchemaProps>).minReplicas,
    ).toMatchObject({ type: 'integer', minimum: 0, default: 1 });
    expect(spec.resources?.properties).toMatchObject({
      memory: { 'x-kubernetes-int-or-string': true },
    });
    const status = version.schema!.openAPIV3Schema!.properties!.status as JSONSchemaProps;
    expect((status.properties as Record<string, JSONSchemaProps>).conditions).toMatchObject({
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    });
  });

  it('Provider and Route require their key fields', () => {
    const providerSpec = crds[1]!.spec.versions[0]!.schema!.openAPIV3Schema!.properties!
      .spec as JSONSchemaProps;
    expect(providerSpec.required).toEqual(['type', 'models']);
    const routeSpec = crds[2]!.spec.versions[0]!.schema!.openAPIV3Schema!.properties!
      .spec as JSONSchemaProps;
    expect(routeSpec.required).toEqual(['targets']);
  });
});
