import { describe, expect, it } from 'vitest';
import { parseRoute, validateResource } from '../index.js';

const route = (privacy: unknown) => ({
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Route',
  metadata: { name: 'chat' },
  spec: { targets: [{ model: 'small' }], privacy },
});
const issuesOf = (input: unknown) => {
  const r = validateResource(input);
  return r.status === 'invalid' ? r.issues.map((i) => `${i.path.join('.')}: ${i.message}`) : [];
};

describe('Route privacy', () => {
  it('defaults: action keep, a 50 ms scan bound', () => {
    expect(parseRoute(route({ detect: [{ class: 'email' }] })).spec.privacy).toEqual({
      detect: [{ class: 'email', action: 'keep' }],
      scanTimeout: '50ms',
    });
  });

  it('names the field of an unknown class, a duplicate, or a bad action', () => {
    expect(issuesOf(route({ detect: [{ class: 'passport' }] }))[0]).toMatch(
      /^spec\.privacy\.detect\.0\.class: /,
    );
    expect(
      issuesOf(route({ detect: [{ class: 'email' }, { class: 'email', action: 'refuse' }] })),
    ).toEqual(['spec.privacy.detect.1.class: duplicate class email']);
    expect(issuesOf(route({ detect: [{ class: 'email', action: 'drop' }] }))[0]).toMatch(
      /^spec\.privacy\.detect\.0\.action: /,
    );
  });

  it('custom patterns are RE2: no backreferences or lookaround, no empty match', () => {
    const p = (regex: string) => route({ patterns: [{ name: 'emp', regex }] });
    expect(issuesOf(p('EMP-[0-9]{6}'))).toEqual([]);
    // Catastrophic for a backtracking engine, linear for RE2: accepted.
    expect(issuesOf(p('(a+)+$'))).toEqual([]);
    expect(issuesOf(p('(a)\\1'))[0]).toMatch(
      /^spec\.privacy\.patterns\.0\.regex: not an RE2 regular expression: .*\\1/,
    );
    expect(issuesOf(p('(?=x)y'))[0]).toMatch(/^spec\.privacy\.patterns\.0\.regex: not an RE2/);
    expect(issuesOf(p('x*'))).toEqual([
      'spec.privacy.patterns.0.regex: matches the empty string (it would fire on every request)',
    ]);
    expect(
      issuesOf(
        route({
          patterns: [
            { name: 'a', regex: 'x' },
            { name: 'a', regex: 'y' },
          ],
        }),
      ),
    ).toEqual(['spec.privacy.patterns.1.name: duplicate pattern a']);
  });
});
