import type { z } from 'zod';
import type { ResourceKind } from '../api-version.js';
import { ModelSchema } from '../model/model.js';
import { ProviderSchema } from '../provider/provider.js';
import { RouteSchema } from '../route/route.js';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

/** What a CRD needs beyond the schema. */
export interface CrdDefinition {
  kind: ResourceKind;
  plural: string;
  singular: string;
  shortNames: string[];
  schema: z.ZodType;
  printerColumns: PrinterColumn[];
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath: string };
}

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export const CRD_DEFINITIONS: readonly CrdDefinition[] = [
  {
    kind: 'Model',
    plural: 'models',
    singular: 'model',
    shortNames: ['mdl'],
    schema: ModelSchema,
    printerColumns: [
      { name: 'Engine', type: 'string', jsonPath: '.spec.engine', description: 'vllm or tgi' },
      { name: 'GPUs', type: 'string', jsonPath: '.spec.gpus', description: 'GPUs per replica' },
      { name: 'Ready', type: 'integer', jsonPath: '.status.replicas.ready' },
      { name: 'Desired', type: 'integer', jsonPath: '.status.replicas.desired' },
      {
        name: 'Status',
        type: 'string',
        jsonPath: '.status.conditions[?(@.type=="Ready")].reason',
        description: 'Reason of the Ready condition',
      },
      age,
      { name: 'Source', type: 'string', jsonPath: '.spec.source', priority: 1 },
    ],
    scale: {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas.ready',
      labelSelectorPath: '.status.selector',
    },
  },
  {
    kind: 'Provider',
    plural: 'providers',
    singular: 'provider',
    shortNames: ['prv'],
    schema: ProviderSchema,
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.spec.type' },
      {
        name: 'Status',
        type: 'string',
        jsonPath: '.status.conditions[?(@.type=="Ready")].reason',
        description: 'Reason of the Ready condition',
      },
      age,
      { name: 'Base URL', type: 'string', jsonPath: '.spec.baseURL', priority: 1 },
    ],
  },
  {
    kind: 'Route',
    plural: 'routes',
    singular: 'route',
    shortNames: ['rt'],
    schema: RouteSchema,
    printerColumns: [
      { name: 'Strategy', type: 'string', jsonPath: '.spec.strategy' },
      { name: 'External', type: 'boolean', jsonPath: '.spec.allowExternal' },
      {
        name: 'Status',
        type: 'string',
        jsonPath: '.status.conditions[?(@.type=="Ready")].reason',
        description: 'Reason of the Ready condition',
      },
      age,
    ],
  },
];
