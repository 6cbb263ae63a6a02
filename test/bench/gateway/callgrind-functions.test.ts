import { describe, expect, it } from 'vitest';
import { parsePerfMap, selfCostByFunction } from './callgrind-functions.js';

const MAP = ['1000 100 JS:*handle /app/a.js:1:1', '2000 80 JS:^Request /app/b.js:2:3', ''].join(
  '\n',
);

// A callgrind dump in its compressed form: names given once with an id, then by id alone.
const DUMP = [
  'events: Ir',
  'fn=(1) 0x0000000000001010',
  '3 100',
  'cfn=(2) Builtins_LoadIC',
  'calls=2 0',
  '3 40', // the callee's inclusive cost: not handle's own
  '4 5',
  'fn=(2)',
  '0 40',
  'fn=(3) 0x0000000000002050',
  '+1 7',
  'fn=(4) 0x0000000000009000',
  '* 3',
  'fn=(1)',
  '5 10',
].join('\n');

describe('selfCostByFunction', () => {
  it('names JIT code from the perf map and counts only self cost', () => {
    expect(selfCostByFunction(DUMP, MAP)).toEqual([
      ['JS:*handle /app/a.js:1:1', 115],
      ['Builtins_LoadIC', 40],
      ['JS:^Request /app/b.js:2:3', 7],
      ['(unknown code)', 3],
    ]);
  });

  it('sums the named events of a dump with several, a missing trailing cost counting 0', () => {
    const dump = [
      'events: Ir ILmr DLmr',
      'fn=(1) 0x0000000000001010',
      '3 100 2 1',
      '4 50 1', // DLmr left off: 0
      'fn=(2) Builtins_LoadIC',
      '0 40 0 6',
    ].join('\n');
    expect(selfCostByFunction(dump, MAP, ['ILmr', 'DLmr'])).toEqual([
      ['Builtins_LoadIC', 6],
      ['JS:*handle /app/a.js:1:1', 4],
    ]);
    expect(selfCostByFunction(dump, MAP)[0]).toEqual(['JS:*handle /app/a.js:1:1', 150]);
    expect(() => selfCostByFunction(dump, MAP, ['Bcm'])).toThrow(/no event Bcm/);
  });

  it('reads the perf map sorted by address, ignoring malformed lines', () => {
    expect(parsePerfMap('2000 10 b\nnot a line\n1000 10 a').map((e) => e.name)).toEqual(['a', 'b']);
  });
});
