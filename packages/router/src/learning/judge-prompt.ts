import type { Verdict } from './outcome-label.js';
import { sampleUnit } from './sample-unit.js';

/** Longest question or answer put in a judge prompt (characters); longer text is cut. */
export const JUDGE_TEXT_CHARS = 4000;

/**
 * The judge prompt (plain text, one user message): the question, then two answers labelled A
 * and B, then the instruction to reply with exactly A, B or TIE. Which tier is A is decided by
 * the request id's hash (half the requests each way), so a judge's position bias cancels out
 * instead of favouring one tier. The section markers are fixed: the simulated judge
 * (provider-sim and engine-sim `--judge-labels`) reads them.
 */
export function buildJudgePrompt(
  question: string,
  weak: string,
  strong: string,
  requestId: string,
): { prompt: string; weakIs: 'A' | 'B' } {
  const weakIs = sampleUnit(`judge:${requestId}`) < 0.5 ? 'A' : 'B';
  const [a, b] = weakIs === 'A' ? [weak, strong] : [strong, weak];
  const cut = (s: string) => (s.length > JUDGE_TEXT_CHARS ? s.slice(0, JUDGE_TEXT_CHARS) : s);
  const prompt = [
    'You compare two answers to the same question. Judge correctness first, then completeness.',
    'Reply with exactly one word: A if answer A is better, B if answer B is better, TIE if neither is.',
    '',
    '### Question',
    cut(question),
    '### Answer A',
    cut(a),
    '### Answer B',
    cut(b),
    '### Verdict',
  ].join('\n');
  return { prompt, weakIs };
}

/** Reads the judge's reply: the first A, B or TIE word in it; undefined when there is none. */
export function parseJudgeReply(reply: string, weakIs: 'A' | 'B'): Verdict | undefined {
  const m = /\b(TIE|A|B)\b/.exec(reply.toUpperCase());
  if (!m) return undefined;
  if (m[1] === 'TIE') return 'tie';
  return m[1] === weakIs ? 'weak' : 'strong';
}
