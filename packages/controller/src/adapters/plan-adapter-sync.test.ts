import { describe, expect, it } from 'vitest';
import { planAdapterSync } from './plan-adapter-sync.js';

describe('planAdapterSync', () => {
  it('loads what is declared and missing, unloads what is no longer declared', () => {
    expect(
      planAdapterSync(
        [
          { name: 'sql', ref: 'org/sql' },
          { name: 'chat', ref: 'org/chat' },
        ],
        [
          { name: 'sql', path: 'org/sql' },
          { name: 'old', path: 'org/old' },
        ],
      ),
    ).toEqual({ unload: ['old'], load: [{ name: 'chat', ref: 'org/chat' }] });
  });

  it('reloads an adapter whose declared path changed', () => {
    expect(
      planAdapterSync([{ name: 'sql', ref: 'org/sql-v2' }], [{ name: 'sql', path: 'org/sql' }]),
    ).toEqual({ unload: ['sql'], load: [{ name: 'sql', ref: 'org/sql-v2' }] });
  });

  it('does nothing when the replica already serves the declared set', () => {
    expect(
      planAdapterSync([{ name: 'sql', ref: 'org/sql' }], [{ name: 'sql', path: 'org/sql' }]),
    ).toEqual({ unload: [], load: [] });
  });
});
