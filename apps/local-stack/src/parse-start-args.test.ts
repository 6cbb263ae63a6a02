import { describe, expect, it } from 'vitest';
import { parseStartArgs, StartUsageError } from './parse-start-args.js';

describe('parseStartArgs', () => {
  it('defaults to ports that avoid common services and a small example set', () => {
    const o = parseStartArgs([], {});
    expect(o).toMatchObject({
      gatewayPort: 8080,
      apiPort: 8081,
      metricsPort: 8082,
      kubePort: 6443,
      stateDir: '.bascule',
      allExamples: false,
      clean: false,
      wait: true,
    });
    expect(o !== 'help' && o.redisUrl).toBeUndefined();
  });

  it('accepts the `--` pnpm passes through, flags and REDIS_URL', () => {
    const o = parseStartArgs(['--', '--clean', '--all-examples', '--gateway-port', '0'], {
      REDIS_URL: 'redis://127.0.0.1:6390',
    });
    expect(o).toMatchObject({
      clean: true,
      allExamples: true,
      gatewayPort: 0,
      redisUrl: 'redis://127.0.0.1:6390',
    });
    expect(parseStartArgs(['-h'], {})).toBe('help');
  });

  it.each([
    [['--api-port', '70000'], '--api-port: "70000" is not a port number'],
    [['--time-scale', '0'], '--time-scale: "0" must be a positive number'],
    [['--redis-url', 'localhost:6379'], '--redis-url: "localhost:6379" is not a redis:// URL'],
    [['--nope'], "Unknown option '--nope'"],
  ])('names the bad flag in %j', (argv, message) => {
    expect(() => parseStartArgs(argv, {})).toThrow(StartUsageError);
    expect(() => parseStartArgs(argv, {})).toThrow(message);
  });

  it('names REDIS_URL when the environment holds a bad one', () => {
    expect(() => parseStartArgs([], { REDIS_URL: 'nope' })).toThrow('REDIS_URL: "nope"');
  });
});
