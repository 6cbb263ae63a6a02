import { describe, expect, it } from 'vitest';
import { HARD_PROMPTS, SIMPLE_PROMPTS } from '../testing/prompt-set.js';
import { detectTasks } from './detect-tasks.js';

const plain = { tools: 0, structuredOutput: false };

describe('detectTasks', () => {
  it.each(SIMPLE_PROMPTS)('no task kind in a simple prompt: %s', (p) => {
    expect(detectTasks(p, plain)).toEqual([]);
  });

  it('finds code and maths in the hard prompts that ask for them', () => {
    const kinds = HARD_PROMPTS.map((p) => detectTasks(p, plain));
    expect(kinds.filter((k) => k.includes('code')).length).toBeGreaterThanOrEqual(4);
    expect(kinds.filter((k) => k.includes('math')).length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['code', 'Write a SQL query: SELECT name FROM users WHERE age > 30, then explain the index.'],
    ['code', 'Fix this: for (let i = 0; i < n; i++) { sum += a[i]; }'],
    ['code', '```\nnpm ERR! missing script: build\n```'],
    ['code', '请用 Python 写一个函数，读取 CSV 文件并返回每一行。'],
    ['code', 'Écris une fonction JavaScript qui trie un tableau : `const sort = (a) => a.sort()`'],
    ['math', 'Prove that n^3 - n is divisible by 6 for every integer n.'],
    ['math', '证明：对任意正整数 n，n^3 - n 能被 6 整除。'],
    ['math', "Résous l'équation 2x + 3 = 7."],
    ['math', 'Compute the integral of x^2 from 0 to 3.'],
  ])('%s: %s', (kind, p) => {
    expect(detectTasks(p, plain)).toContain(kind);
  });

  it('needs two signals: one ordinary word is not a task', () => {
    expect(detectTasks('Describe the function of the liver and where it sits.', plain)).toEqual([]);
    expect(detectTasks('Is 7 a prime number?', plain)).toEqual([]);
    expect(detectTasks('Meeting moved to 2024-01-02 at 10:30, room 4/5.', plain)).toEqual([]);
  });

  it('takes tools and structured output from the body', () => {
    expect(
      detectTasks('What is the weather in Paris?', { tools: 1, structuredOutput: false }),
    ).toEqual(['tools']);
    expect(detectTasks('List three fruits.', { tools: 0, structuredOutput: true })).toEqual([
      'structured-output',
    ]);
  });
});
