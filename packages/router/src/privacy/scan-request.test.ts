import type { RoutePrivacyInput } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import { route } from '../testing/fixtures.js';
import { inspectPrivacy } from './inspect-privacy.js';

const CARD = '4111 1111 1111 1111';
const EMAIL = 'jane.doe@example.com';
const KEY = 'AKIAIOSFODNN7EXAMPLE';

const withPrivacy = (privacy: RoutePrivacyInput) =>
  route('chat', { targets: [{ model: 'small' }], privacy });
const clock = () => 0;

describe('inspectPrivacy', () => {
  const keepAll = withPrivacy({
    detect: [
      { class: 'payment-card', action: 'keep' },
      { class: 'email', action: 'redact' },
      { class: 'secret', action: 'refuse' },
    ],
  });

  it('scans the system prompt, every turn, tool-call arguments and tool results', () => {
    const at = (messages: unknown[]) => inspectPrivacy({ messages }, keepAll, clock).verdict;
    expect(at([{ role: 'system', content: `card ${CARD}` }])).toEqual({
      classes: ['payment-card'],
      action: 'keep',
    });
    expect(at([{ role: 'user', content: [{ type: 'text', text: `to ${EMAIL}` }] }])).toEqual({
      classes: ['email'],
      action: 'redact',
    });
    expect(
      at([
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c', type: 'function', function: { name: 'f', arguments: `{"k":"${KEY}"}` } },
          ],
        },
      ]),
    ).toEqual({ classes: ['secret'], action: 'refuse' });
    expect(
      at([{ role: 'tool', tool_call_id: 'c', content: `{"email":"${EMAIL}"}` }])?.classes,
    ).toEqual(['email']);
    expect(inspectPrivacy({ prompt: [`x`, `card ${CARD}`] }, keepAll, clock).verdict?.action).toBe(
      'keep',
    );
    expect(inspectPrivacy({ input: `mail ${EMAIL}` }, keepAll, clock).verdict?.action).toBe(
      'redact',
    );
    expect(at([{ role: 'user', content: 'nothing to see, order 1234-5678' }])).toBeUndefined();
  });

  it('the strictest action wins: refuse, then keep, then redact', () => {
    const v = (text: string) =>
      inspectPrivacy({ messages: [{ role: 'user', content: text }] }, keepAll, clock).verdict;
    expect(v(`${EMAIL} ${CARD}`)).toEqual({ classes: ['email', 'payment-card'], action: 'keep' });
    expect(v(`${EMAIL} ${CARD} ${KEY}`)?.action).toBe('refuse');
  });

  it('redacts every match for a closed target, and leaves the original body alone', () => {
    const r = withPrivacy({
      detect: [
        { class: 'email', action: 'redact' },
        { class: 'phone', action: 'redact' },
      ],
      patterns: [{ name: 'employee-id', regex: 'EMP-[0-9]{6}', action: 'redact' }],
    });
    const body = {
      model: 'chat',
      messages: [
        { role: 'system', content: 'You help HR.' },
        { role: 'user', content: `Mail ${EMAIL} or call +44 20 7946 0958 about EMP-123456.` },
      ],
    };
    const { verdict, redacted } = inspectPrivacy(body, r, clock);
    expect(verdict).toEqual({
      classes: ['custom:employee-id', 'email', 'phone'],
      action: 'redact',
    });
    expect(redacted?.messages[1]?.content).toBe(
      'Mail [REDACTED:email] or call [REDACTED:phone] about [REDACTED:custom:employee-id].',
    );
    expect(redacted?.messages[0]).toBe(body.messages[0]);
    expect(body.messages[1]?.content).toContain(EMAIL);
  });

  it('past the time bound the request counts as sensitive: the strictest action, redact as keep', () => {
    let t = 0;
    const slow = () => (t += 60); // every look at the clock is 60 ms later
    const body = { messages: [{ role: 'user', content: 'nothing sensitive here' }] };
    const redactOnly = withPrivacy({ detect: [{ class: 'email', action: 'redact' }] });
    expect(inspectPrivacy(body, redactOnly, slow).verdict).toEqual({
      classes: ['scan-timeout'],
      action: 'keep',
    });
    expect(inspectPrivacy(body, keepAll, slow).verdict).toEqual({
      classes: ['scan-timeout'],
      action: 'refuse',
    });
    expect(inspectPrivacy(body, redactOnly, clock).verdict).toBeUndefined();
  });

  it('a long text is scanned in windows: a value across a window edge is found, and the clock is read per window', () => {
    const r = withPrivacy({ detect: [{ class: 'payment-card', action: 'keep' }] });
    // The card starts 8 characters before the 64 KB edge: neither half is a card on its own.
    const text = 'x'.repeat(64 * 1024 - 9) + ` ${CARD} ` + 'y '.repeat(100_000);
    expect(inspectPrivacy({ prompt: text }, r, clock).verdict?.classes).toEqual(['payment-card']);
    let reads = 0;
    const counting = () => (reads++, 0);
    expect(inspectPrivacy({ prompt: 'z '.repeat(200_000) }, r, counting).verdict).toBeUndefined();
    expect(reads).toBeGreaterThanOrEqual(Math.floor(400_000 / (64 * 1024)));
  });

  it('a custom pattern stops matching once the deadline passes', () => {
    let t = 0;
    const r = withPrivacy({
      detect: [],
      patterns: [{ name: 'x', regex: 'x', action: 'redact' }],
      scanTimeout: '5ms',
    });
    const v = inspectPrivacy({ prompt: 'x'.repeat(10_000) }, r, () => t++).verdict;
    expect(v).toEqual({ classes: ['custom:x', 'scan-timeout'], action: 'keep' });
  });

  it('a Route without privacy costs nothing and finds nothing', () => {
    const plain = route('plain', { targets: [{ model: 'small' }] });
    expect(inspectPrivacy({ prompt: CARD }, plain, clock)).toEqual({});
    expect(inspectPrivacy({ prompt: CARD }, undefined, clock)).toEqual({});
  });
});
