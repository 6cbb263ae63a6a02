import type { Attributes } from '@opentelemetry/api';
import type { RouteDecision } from '@bascule/router';

/** The routing decision as span attributes: action, target, reason, score, overflowed targets. */
export function decisionAttributes(d: RouteDecision): Attributes {
  const e = d.explanation;
  const a: Attributes = { 'bascule.route.action': d.action };
  if (e.route !== undefined) a['bascule.route'] = e.route;
  if (d.action === 'send') {
    a['bascule.target'] = d.target.name;
    a['bascule.target.kind'] = d.target.kind;
    a['bascule.reason'] = d.reason;
  } else if (d.action === 'wait') {
    a['bascule.target'] = d.target.name;
    a['bascule.reason'] = `wait:${d.shortage}`;
  } else {
    a['bascule.reason'] = d.code;
  }
  if (e.complexity !== undefined) a['bascule.score'] = e.complexity;
  if (e.tier !== undefined) a['bascule.tier'] = e.tier;
  const overflowed = e.targets.filter((t) => t.verdict === 'overflowed');
  if (overflowed.length > 0)
    a['bascule.overflowed'] = overflowed.map((t) => `${t.target}:${t.code ?? ''}`);
  return a;
}
