import type { Command } from '../cli/command.js';
import { EXIT_OK } from '../cli/exit-codes.js';
import { UsageError } from '../cli/usage-error.js';
import { readConfig, writeConfig } from '../client/cli-config.js';

export const loginCommand: Command = {
  name: 'login',
  summary: 'Save a server and key as a context in ~/.config/bascule/config.json.',
  usage: 'login --server URL --token KEY [--context NAME] [-n NS]',
  description:
    'BASCULE_SERVER and BASCULE_TOKEN override the current context; BASCULE_CONFIG moves the file.',
  flags: {
    server: {
      type: 'string',
      value: 'URL',
      description: 'Control API URL, e.g. http://bascule:8081.',
    },
    token: { type: 'string', value: 'KEY', description: 'A bsc-... API key.' },
    context: { type: 'string', value: 'NAME', description: 'Context name (default: default).' },
    namespace: { type: 'string', short: 'n', value: 'NS', description: 'Default namespace.' },
  },
  async run({ io, flags }) {
    const server = flags.server as string | undefined;
    if (!server || !/^https?:\/\/[^\s]+$/.test(server))
      throw new UsageError('--server URL (http or https) is required', 'login');
    const token = flags.token as string | undefined;
    if (token !== undefined && !token.startsWith('bsc-'))
      throw new UsageError('--token must be a bsc-... key', 'login');
    const name = (flags.context as string | undefined) ?? 'default';
    const config = await readConfig(io.env);
    config.contexts[name] = {
      server,
      ...(token ? { token } : {}),
      ...(flags.namespace ? { namespace: flags.namespace as string } : {}),
    };
    config.currentContext = name;
    const file = await writeConfig(io.env, config);
    io.stdout.write(`context "${name}" saved to ${file} and made current\n`);
    return EXIT_OK;
  },
};
