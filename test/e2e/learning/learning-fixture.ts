// The labelled world of the learning scenario: two kinds of prompt with a hidden quality per
// tier. Hard ones (maths derivations) the weak model gets wrong (0.1) and the strong one right
// (0.9); easy ones (greetings) both get right (0.9), so a judge calls them a tie. The shipped
// prior scores both kinds about 0.5 (it even ranks the greetings a little higher): only what
// the Route learns from its own traffic can tell them apart.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TOPICS = [
  'quaternion rotation',
  'eigenvalue decomposition',
  'Bessel function zeros',
  'Galois group',
  'contour integral',
  'Laplace transform',
  'Fourier series',
  'Markov chain mixing time',
  'tensor contraction',
  'Riemann surface',
];

export const hardPrompt = (i: number) =>
  `Derive the ${TOPICS[i % TOPICS.length]} for case ${i} and state the closed form with proof.`;
export const easyPrompt = (i: number) =>
  `Please say hello to my friend number ${i} in a friendly way.`;

/** Writes the labels file every sim reads (prompts 0..199 of each kind); returns its path. */
export function writeLabels(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bascule-learning-'));
  const file = join(dir, 'judge-labels.jsonl');
  const lines: string[] = [];
  for (let i = 0; i < 200; i++) {
    lines.push(JSON.stringify({ prompt: hardPrompt(i), weak_score: 0.1, strong_score: 0.9 }));
    lines.push(JSON.stringify({ prompt: easyPrompt(i), weak_score: 0.9, strong_score: 0.9 }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
