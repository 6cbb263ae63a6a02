import { describe, expect, it } from 'vitest';
import { formatPath } from '../resource/spec-error.js';
import { didYouMean, editDistance } from './did-you-mean.js';

describe('didYouMean', () => {
  it.each([
    ['lables', ['labels', 'annotations'], 'labels'],
    ['replica', ['replicas', 'autoscaling'], 'replicas'],
    ['baseUrl', ['baseURL', 'models'], 'baseURL'],
    ['tensorParalelism', ['tensorParallelism', 'gpus'], 'tensorParallelism'],
    ['colour', ['source', 'engine', 'gpus'], undefined],
    ['x', ['y', 'z'], undefined],
    ['gpu', ['gpus', 'engine'], 'gpus'],
    ['vlm', ['vllm', 'tgi'], 'vllm'],
  ] as const)('%s among %j -> %s', (input, candidates, expected) => {
    expect(didYouMean(input, candidates)).toBe(expected);
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('gpsu', 'gpus')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('formatPath', () => {
  it('renders keys, indices and odd keys like jq', () => {
    expect(formatPath([])).toBe('.');
    expect(formatPath(['spec', 'targets', 0, 'model'])).toBe('.spec.targets[0].model');
    expect(formatPath(['spec', 'headers', 'X-Api-Key'])).toBe('.spec.headers["X-Api-Key"]');
  });
});
