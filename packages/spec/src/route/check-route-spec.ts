import type { z } from 'zod';
import { checkRouteLearning } from './route-learning.js';
import { checkRoutePrivacy, type RoutePrivacy } from './route-privacy.js';

interface CheckedRouteSpec {
  targets: {
    model: string;
    provider?: string | undefined;
    tier?: 'simple' | 'complex' | undefined;
    strengths?: readonly string[] | undefined;
  }[];
  strategy: string;
  allowExternal: boolean;
  learning?:
    | { shadowRate: number; judge?: { model: string; provider?: string | undefined } | undefined }
    | undefined;
  complexity?: { strongShare?: number | undefined; minQuality?: number | undefined } | undefined;
  privacy?: RoutePrivacy | undefined;
}

/** Cross-field rules of a Route spec. */
export function checkRouteSpec(spec: CheckedRouteSpec, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const seen = new Set<string>();
  spec.targets.forEach((t, i) => {
    const key = `${t.provider ?? ''}/${t.model}`;
    if (seen.has(key)) issue(['targets', i], `duplicate target ${targetName(t)}`);
    seen.add(key);
    if (!spec.allowExternal && t.provider !== undefined) {
      issue(
        ['targets', i, 'provider'],
        `allowExternal is false, so provider target ${targetName(t)} is not allowed (requests must stay in the cluster)`,
      );
    }
    if (t.tier !== undefined && spec.strategy !== 'complexity') {
      issue(
        ['targets', i, 'tier'],
        `tier is only used by strategy complexity (strategy is ${spec.strategy})`,
      );
    }
    const dup = t.strengths?.find((s, j) => t.strengths!.indexOf(s) !== j);
    if (dup !== undefined) issue(['targets', i, 'strengths'], `duplicate strength ${dup}`);
  });
  checkRouteLearning(spec, issue);
  checkRoutePrivacy(spec.privacy, issue);
  if (spec.complexity !== undefined) {
    if (spec.strategy !== 'complexity')
      issue(
        ['complexity'],
        `complexity is only used by strategy complexity (strategy is ${spec.strategy})`,
      );
    else if (spec.complexity.strongShare === undefined && spec.complexity.minQuality === undefined)
      issue(['complexity'], 'complexity needs strongShare, minQuality or both');
  }
  if (spec.strategy === 'complexity') {
    for (const tier of ['simple', 'complex'] as const) {
      if (!spec.targets.some((t) => t.tier === undefined || t.tier === tier)) {
        issue(
          ['targets'],
          `strategy complexity needs at least one target for tier ${tier} (or untiered)`,
        );
      }
    }
  }
}

function targetName(t: { model: string; provider?: string | undefined }): string {
  return t.provider ? `${t.provider}/${t.model}` : t.model;
}
