import { readFileSync } from 'node:fs';
import { API_VERSION } from '@bascule/spec';
import type { Command } from '../cli/command.js';
import { EXIT_OK } from '../cli/exit-codes.js';
import { outputFormat } from '../cli/output-format.js';

/** Set by the release bundle (scripts/release/pack-cli.mjs), whose package.json sits elsewhere. */
declare const BASCULE_CLI_VERSION: string | undefined;

/** Version of this CLI: the bundle's, else from its package.json (same path from src/ and dist/). */
export function cliVersion(): string {
  if (typeof BASCULE_CLI_VERSION === 'string') return BASCULE_CLI_VERSION;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export const versionCommand: Command = {
  name: 'version',
  summary: 'Print the bascule version and the resource API version it speaks.',
  usage: 'version [-o text|json]',
  flags: {
    output: { type: 'string', short: 'o', value: 'FORMAT', description: 'text (default) or json.' },
  },
  run({ io, flags }) {
    const format = outputFormat(flags.output, ['text', 'json'] as const, 'version');
    const info = { version: cliVersion(), apiVersion: API_VERSION, node: process.version };
    io.stdout.write(
      format === 'json'
        ? JSON.stringify(info, null, 2) + '\n'
        : `bascule ${info.version} (${info.apiVersion}, node ${info.node})\n`,
    );
    return Promise.resolve(EXIT_OK);
  },
};
