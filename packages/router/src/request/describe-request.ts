import type { Capability } from '@bascule/spec';
import type { ComplexityScorer } from '../complexity/complexity-scorer.js';
import { samplePrompt, type PromptSample } from '../complexity/prompt-sample.js';
import { tieKeyOf } from '../calibration/complexity-threshold.js';
import { detectTraits } from '../strengths/detect-traits.js';
import type { RequestKind, RoutingRequest } from './routing-request.js';

/** The OpenAI request fields the router reads (chat, completions or embeddings). */
export interface RequestBodyLike {
  model: string;
  messages?: readonly { role: string; content?: unknown; tool_calls?: unknown }[];
  prompt?: unknown;
  input?: unknown;
  tools?: readonly unknown[];
  /** Legacy function calling: counted as tools. */
  functions?: readonly unknown[];
  response_format?: { type?: string } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
}

export interface DescribeOptions {
  kind: RequestKind;
  scorer?: ComplexityScorer;
  privacyStrict?: boolean;
  /** x-bascule-deferred: self-hosted (queued work before its deadline). */
  deferred?: boolean;
  externalForbiddenByBudget?: boolean;
  /** Detect language and task kinds (for Routes whose targets declare strengths). */
  detectTraits?: boolean;
  /** Ask the scorer which features moved the score (scorers with `explain`). */
  explainScore?: boolean;
}

/** How many of the features that moved the score a request keeps. */
export const TOP_FEATURES = 5;

/**
 * Turns an OpenAI request body into a RoutingRequest: estimated prompt tokens (~4 characters
 * per token, 4 per message, 85 per image), needed capabilities and, with a scorer, complexity.
 */
export function describeRequest(
  body: RequestBodyLike,
  opts: DescribeOptions,
): { request: RoutingRequest; sample: PromptSample | undefined } {
  const needs: Capability[] = [];
  let chars = 0;
  let extra = 0;
  let sample: PromptSample | undefined;
  if (opts.kind === 'chat' && body.messages) {
    for (const m of body.messages) {
      extra += 4;
      if (typeof m.content === 'string') chars += m.content.length;
      else if (Array.isArray(m.content)) {
        for (const p of m.content as { type?: string; text?: string }[]) {
          if (p?.type === 'text') chars += p.text?.length ?? 0;
          else {
            extra += 85;
            if (p?.type === 'image_url' && !needs.includes('vision')) needs.push('vision');
          }
        }
      }
      if (m.tool_calls) chars += JSON.stringify(m.tool_calls).length;
    }
    if (body.tools && body.tools.length > 0) {
      needs.push('tools');
      chars += JSON.stringify(body.tools).length;
    }
    const tools = (body.tools?.length ?? 0) + (body.functions?.length ?? 0);
    sample = samplePrompt(body.messages, tools);
  } else {
    const text = opts.kind === 'embeddings' ? body.input : body.prompt;
    chars += textLength(text);
    if (typeof text === 'string' || (Array.isArray(text) && typeof text[0] === 'string'))
      sample = samplePrompt(text as string | string[]);
  }
  const maxOut = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  // Built by assignment (no object spread per optional field): this runs on every request.
  const request: RoutingRequest = {
    model: body.model,
    kind: opts.kind,
    promptTokens: Math.ceil(chars / 4) + extra,
  };
  if (maxOut != null) request.maxOutputTokens = maxOut;
  if (needs.length > 0) request.needs = needs;
  if (opts.privacyStrict) request.privacyStrict = true;
  if (opts.deferred) request.deferred = true;
  if (opts.externalForbiddenByBudget) request.externalForbiddenByBudget = true;
  if (opts.scorer && sample)
    Object.assign(request, scoreOf(opts.scorer, sample, opts.explainScore === true));
  if (opts.detectTraits && sample)
    request.traits = detectTraits(sample, {
      structuredOutput:
        body.response_format?.type === 'json_schema' ||
        body.response_format?.type === 'json_object',
    });
  return { request, sample };
}

function scoreOf(
  scorer: ComplexityScorer,
  sample: PromptSample,
  explain: boolean,
): Pick<RoutingRequest, 'complexity' | 'features' | 'tieKey'> {
  const tieKey = tieKeyOf(sample.lastUser, sample.totalChars);
  if (explain && scorer.explain) {
    const e = scorer.explain(sample);
    return { complexity: e.p, features: e.contributions.slice(0, TOP_FEATURES), tieKey };
  }
  return { complexity: scorer.score(sample), tieKey };
}

function textLength(x: unknown): number {
  if (typeof x === 'string') return x.length;
  if (!Array.isArray(x)) return 0;
  let n = 0;
  for (const v of x as unknown[]) {
    if (typeof v === 'string') n += v.length;
    else if (typeof v === 'number') n += 4;
    else if (Array.isArray(v)) n += v.length * 4;
  }
  return n;
}
