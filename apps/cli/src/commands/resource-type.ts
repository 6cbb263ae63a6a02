import { UsageError } from '../cli/usage-error.js';

const TYPES: Record<string, 'models' | 'providers' | 'routes'> = {
  model: 'models',
  models: 'models',
  mod: 'models',
  provider: 'providers',
  providers: 'providers',
  route: 'routes',
  routes: 'routes',
  rt: 'routes',
};

/** `model`, `models`, `route`... to the API's plural (a usage error otherwise). */
export function resourceType(
  word: string | undefined,
  command: string,
): 'models' | 'providers' | 'routes' {
  if (word === undefined)
    throw new UsageError('name a resource type: models, routes or providers', command);
  const t = TYPES[word.toLowerCase()];
  if (!t)
    throw new UsageError(
      `unknown resource type "${word}"; use models, routes, providers, jobs or batches`,
      command,
    );
  return t;
}
