import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/** ~/.config/bascule/config.json: contexts like kubeconfig (server, token, namespace). */
export const CliConfigSchema = z.object({
  currentContext: z.string().optional(),
  contexts: z
    .record(
      z.string(),
      z.object({ server: z.url(), token: z.string().optional(), namespace: z.string().optional() }),
    )
    .default({}),
});
export type CliConfig = z.output<typeof CliConfigSchema>;

export function configPath(env: NodeJS.ProcessEnv): string {
  return env.BASCULE_CONFIG ?? join(env.HOME ?? homedir(), '.config', 'bascule', 'config.json');
}

export async function readConfig(env: NodeJS.ProcessEnv): Promise<CliConfig> {
  const file = configPath(env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { contexts: {} };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(
      `${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  const r = CliConfigSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`${file}: .${i.path.join('.')}: ${i.message}`);
  }
  return r.data;
}

export async function writeConfig(env: NodeJS.ProcessEnv, config: CliConfig): Promise<string> {
  const file = configPath(env);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  return file;
}

/** Server, token and namespace: BASCULE_SERVER / BASCULE_TOKEN override the current context. */
export async function resolveTarget(
  env: NodeJS.ProcessEnv,
): Promise<{ server: string; token?: string; namespace?: string }> {
  const config = await readConfig(env);
  const ctx = config.currentContext ? config.contexts[config.currentContext] : undefined;
  const server = env.BASCULE_SERVER ?? ctx?.server;
  if (!server)
    throw new Error(
      'no server: run "bascule login --server URL --token KEY" or set BASCULE_SERVER',
    );
  const token = env.BASCULE_TOKEN ?? ctx?.token;
  return {
    server: server.replace(/\/+$/, ''),
    ...(token ? { token } : {}),
    ...(ctx?.namespace ? { namespace: ctx.namespace } : {}),
  };
}
