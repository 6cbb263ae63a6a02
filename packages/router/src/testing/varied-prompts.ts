// Varied, reproducible chat prompts for the strongShare scenario: simple questions, requests for
// code, maths and multi-step plans, with padding of varied length, each one distinct.

import { seededRandom as prng } from '../evaluation/routing-metrics.js';

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const COUNTRIES = [
  'France',
  'Peru',
  'Kenya',
  'Japan',
  'Norway',
  'Chile',
  'Egypt',
  'Canada',
  'India',
  'Poland',
];
const WORDS = [
  'happy',
  'quick',
  'bright',
  'calm',
  'brave',
  'tiny',
  'loud',
  'rare',
  'warm',
  'sharp',
];
const TOPICS = [
  'photosynthesis',
  'inflation',
  'plate tectonics',
  'vaccines',
  'TCP handshakes',
  'black holes',
  'compound interest',
  'the water cycle',
  'supply chains',
  'jazz harmony',
];
const LANGS = ['Python', 'TypeScript', 'Rust', 'Go', 'SQL', 'Java'];
const TASKS = [
  'parses a CSV file with quoted fields',
  'merges two sorted lists',
  'debounces a callback',
  'finds duplicate rows',
  'retries a request with backoff',
  'validates an email address',
];
const PADDING = [
  'Keep it short.',
  'This is for a newsletter my team sends every week to customers in three regions.',
  'Some context: we are a small team, we ship weekly, and we care about readability more than cleverness.',
  'I have read a few articles already but they disagreed with each other, so please be careful and precise, and mention anything that is commonly misunderstood.',
];

const TEMPLATES: readonly ((r: () => number) => string)[] = [
  (r) => `What is the capital of ${pick(r, COUNTRIES)}?`,
  (r) => `Give me a synonym for ${pick(r, WORDS)}.`,
  (r) => `Summarise ${pick(r, TOPICS)} in one sentence.`,
  (r) => `Explain ${pick(r, TOPICS)} and compare it with ${pick(r, TOPICS)}.`,
  (r) => `Write a ${pick(r, LANGS)} function that ${pick(r, TASKS)}, then explain the trade-offs.`,
  (r) =>
    `Debug this ${pick(r, LANGS)} code: \`const f = async () => { await g(${Math.floor(r() * 9)}); }; f();\``,
  (r) =>
    `Prove that the sum of the first ${2 + Math.floor(r() * 50)} odd numbers is a perfect square.`,
  (r) =>
    `Compute the integral of x^${1 + Math.floor(r() * 5)} * e^x from 0 to ${1 + Math.floor(r() * 3)}, step by step.`,
  (r) =>
    `First list the risks of moving ${pick(r, TOPICS)} data to a new system, then design a migration plan in phases, and finally justify the order.`,
  (r) => `Translate "${pick(r, WORDS)} morning" into ${pick(r, ['French', 'German', 'Spanish'])}.`,
];

/** `n` distinct prompts, reproducible from `seed`. */
export function variedPrompts(n: number, seed = 17): string[] {
  const r = prng(seed);
  return Array.from({ length: n }, (_, i) => {
    const body = pick(r, TEMPLATES)(r);
    const pad = r() < 0.6 ? ` ${pick(r, PADDING)}` : '';
    return `${body}${pad} (ticket ${1000 + i})`;
  });
}
