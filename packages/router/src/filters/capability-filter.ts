import type { Capability } from '@bascule/spec';
import type { Target } from '../targets/target.js';
import type { TargetFilter } from './target-filter.js';

export function capabilitiesOf(t: Target): readonly Capability[] {
  return t.kind === 'model' ? t.model.spec.capabilities : t.providerModel.capabilities;
}

/** Tokens a target accepts (prompt plus output), or undefined when unknown. */
export function contextWindowOf(t: Target): number | undefined {
  return t.kind === 'model' ? t.model.spec.maxContextLength : t.providerModel.contextWindow;
}

/** Drops targets that lack the request's kind or features (tools, vision, embeddings). */
export const capabilityFilter: TargetFilter = {
  name: 'capability',
  check(target, { request }) {
    const caps = capabilitiesOf(target);
    const missing: string[] = [];
    if (!caps.includes(request.kind)) missing.push(request.kind);
    for (const need of request.needs ?? []) if (!caps.includes(need)) missing.push(need);
    if (missing.length === 0) return undefined;
    return {
      code: 'capability',
      message: `${target.name} does not serve ${missing.join(', ')} (it serves ${caps.join(', ')})`,
    };
  },
};

/** Drops targets whose context window cannot hold the prompt plus the requested output. */
export const contextFilter: TargetFilter = {
  name: 'context-length',
  check(target, { request }) {
    const window = contextWindowOf(target);
    if (window === undefined) return undefined;
    const needed = request.promptTokens + (request.maxOutputTokens ?? 0);
    if (needed <= window) return undefined;
    return {
      code: 'context-length',
      message: `${target.name} holds ${window} tokens; the request needs about ${needed}`,
    };
  },
};
