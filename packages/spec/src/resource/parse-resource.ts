import type { Model } from '../model/model.js';
import type { Provider } from '../provider/provider.js';
import type { Route } from '../route/route.js';
import { SpecValidationError } from './spec-error.js';
import { validateResource, type Resource } from './validate-resource.js';

/** Validates any Bascule resource and applies defaults; throws SpecValidationError. */
export function parseResource(input: unknown): Resource {
  const result = validateResource(input);
  if (result.status === 'valid') return result.resource;
  if (result.status === 'invalid')
    throw new SpecValidationError(result.kind, result.name, result.issues);
  throw new SpecValidationError(result.kind, result.name, [
    {
      path: ['apiVersion'],
      message: `${result.apiVersion} ${result.kind} is not a Bascule resource`,
    },
  ]);
}

function parseKind<R extends Resource>(kind: R['kind'], input: unknown): R {
  const resource = parseResource(input);
  if (resource.kind !== kind) {
    throw new SpecValidationError(resource.kind, resource.metadata.name, [
      { path: ['kind'], message: `expected kind ${kind}, got ${resource.kind}` },
    ]);
  }
  return resource as R;
}

/** Validates a Model (defaults applied); throws SpecValidationError naming each bad field. */
export const parseModel = (input: unknown): Model => parseKind<Model>('Model', input);
/** Validates a Provider (defaults applied); throws SpecValidationError. */
export const parseProvider = (input: unknown): Provider => parseKind<Provider>('Provider', input);
/** Validates a Route (defaults applied); throws SpecValidationError. */
export const parseRoute = (input: unknown): Route => parseKind<Route>('Route', input);
