import type { Engine, Model } from '@bascule/spec';
import { planWeights, type WeightsPlan } from '../render/plan-weights.js';
import { renderDeploymentObject } from '../render/render-deployment.js';
import { renderPodTemplate } from '../render/render-pod-template.js';
import { renderServiceObject } from '../render/render-service.js';
import type { PrometheusSample } from '../metrics/parse-prometheus-text.js';
import type {
  EngineAdapter,
  EngineContainerParts,
  EngineLoad,
  EngineMetricNames,
  ReadLoadContext,
  RenderOptions,
} from './engine-adapter.js';

/** What an engine contributes; the Deployment and Service around it are shared. */
export interface EngineDefinition {
  engine: Engine;
  defaultImage: string;
  port: number;
  healthPath: string;
  metricsPath: string;
  metricNames: EngineMetricNames;
  /** The engine can read `s3://` model URIs itself. */
  streamsS3: boolean;
  /** Image entrypoint override ([] keeps the image's own entrypoint). */
  command: string[];
  renderArgs(model: Model, weights: WeightsPlan, port: number): string[];
  renderEnv?(model: Model): EngineContainerParts['env'];
  readLoad(samples: readonly PrometheusSample[], context: ReadLoadContext): EngineLoad;
}

/** Builds an EngineAdapter from an engine's definition. */
export function defineEngineAdapter(def: EngineDefinition): EngineAdapter {
  const imageFor = (model: Model, options: RenderOptions = {}) =>
    model.spec.image ?? options.images?.[def.engine] ?? def.defaultImage;
  const parts = (model: Model, weights: WeightsPlan, options?: RenderOptions) => ({
    image: imageFor(model, options),
    command: [...def.command],
    args: def.renderArgs(model, weights, def.port),
    env: def.renderEnv?.(model) ?? [],
    port: def.port,
    healthPath: def.healthPath,
  });
  return {
    engine: def.engine,
    defaultImage: def.defaultImage,
    port: def.port,
    healthPath: def.healthPath,
    metricsPath: def.metricsPath,
    metricNames: def.metricNames,
    renderContainerParts: parts,
    renderDeployment({ model, replicas, options }) {
      const weights = planWeights(model.spec, { streamsS3: def.streamsS3 });
      const template = renderPodTemplate(model, parts(model, weights, options), weights, options);
      return renderDeploymentObject({
        model,
        replicas,
        template,
        ...(options?.startupTimeoutSeconds !== undefined
          ? { startupTimeoutSeconds: options.startupTimeoutSeconds }
          : {}),
      });
    },
    renderService({ model, options }) {
      return renderServiceObject(model, def.port, imageFor(model, options));
    },
    readLoad: (samples, context = {}) => def.readLoad(samples, context),
  };
}
