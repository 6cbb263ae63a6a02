import { parseArgs } from 'node:util';
import { loadGpuProfiles } from '../config/load-gpu-profiles.js';
import { ServeConfigSchema, type ServeConfig } from '../config/serve-config.js';

export const USAGE = `Usage: bascule-server [flags]

Runs the Bascule control plane. Each role can run alone or together with others.

  --roles LIST            comma-separated roles: api,gateway,controller,worker
                          (default: every role this build provides)
  --kubeconfig PATH       kubeconfig file (default: in-cluster, then $KUBECONFIG, ~/.kube/config)
  --context NAME          kubeconfig context to use
  --namespace NS          watch Models in this namespace only (default: all namespaces)
  --metrics-port N        port of /metrics, /healthz, /readyz (default 9090; 0 = any free port)
  --metrics-host ADDR     address to bind the metrics port (default 0.0.0.0)
  --log-level LEVEL       trace, debug, info, warn, error (default info)
  --workers N             Models reconciled in parallel (default 4)
  --no-leader-elect       act without holding the Lease (one replica only)
  --lease-namespace NS    namespace of the controller Lease (default: the context's namespace)
  --lease-name NAME       name of the Lease (default bascule-controller)
  --lease-duration D      e.g. 15s (default 15s); --renew-deadline D (10s); --retry-period D (2s)
  --identity ID           this replica's Lease identity (default hostname-pid)
  --startup-timeout D     how long an engine may load its model before restart (default 1h)
  --gpu-profiles PATH     JSON file mapping GPU types to nodeSelector and tolerations
                          (added to the built-in nvidia.com/gpu.product profiles)
  -h, --help              show this help

Role settings come from the environment (BASCULE_*, OTEL_*): see docs/operations.md.
`;

/** A bad flag (`fromEnv` false) or a bad environment variable (`fromEnv` true), named first. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly fromEnv = false,
  ) {
    super(message);
  }
}

export type ParsedCommand = { kind: 'help' } | { kind: 'serve'; config: ServeConfig };

/**
 * Parses `bascule-server [flags]` and the environment (BASCULE_*, OTEL_*) into one config;
 * throws UsageError naming the bad flag or variable.
 */
export function parseServeArgs(
  argv: readonly string[],
  availableRoles: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): ParsedCommand {
  if (argv[0] === 'help') return { kind: 'help' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        roles: { type: 'string' },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        namespace: { type: 'string' },
        'metrics-port': { type: 'string' },
        'metrics-host': { type: 'string' },
        'log-level': { type: 'string' },
        workers: { type: 'string' },
        'no-leader-elect': { type: 'boolean' },
        'lease-namespace': { type: 'string' },
        'lease-name': { type: 'string' },
        'lease-duration': { type: 'string' },
        'renew-deadline': { type: 'string' },
        'retry-period': { type: 'string' },
        identity: { type: 'string' },
        'startup-timeout': { type: 'string' },
        'gpu-profiles': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return { kind: 'help' };
  const flags: Record<string, string> = {
    roles: '--roles',
    metricsPort: '--metrics-port',
    metricsHost: '--metrics-host',
    logLevel: '--log-level',
    leaseNamespace: '--lease-namespace',
    leaseName: '--lease-name',
    leaseDuration: '--lease-duration',
    renewDeadline: '--renew-deadline',
    retryPeriod: '--retry-period',
    startupTimeout: '--startup-timeout',
    gpuProfiles: '--gpu-profiles',
  };
  const input: Record<string, unknown> = {
    roles:
      typeof values.roles === 'string'
        ? values.roles
            .split(',')
            .map((r) => r.trim())
            .filter((r) => r !== '')
        : [...availableRoles],
    leaderElect: values['no-leader-elect'] !== true,
    env,
  };
  for (const [key, value] of Object.entries(values)) {
    if (key === 'roles' || key === 'no-leader-elect' || key === 'help') continue;
    input[key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  const parsed = ServeConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.path[0] === 'env')
      throw new UsageError(`${String(issue.path[1])}: ${issue.message}`, true);
    const field = String(issue.path[0] ?? '');
    const flag = flags[field] ?? `--${field}`;
    const given =
      issue.path.length > 1
        ? ` ("${String((input[field] as unknown[])[issue.path[1] as number])}")`
        : '';
    throw new UsageError(`${flag}${given}: ${issue.message}`);
  }
  const config: ServeConfig = parsed.data;
  if (config.renewDeadline >= config.leaseDuration) {
    throw new UsageError('--renew-deadline must be shorter than --lease-duration');
  }
  if (config.gpuProfiles) {
    try {
      config.gpuProfileTable = loadGpuProfiles(config.gpuProfiles);
    } catch (err) {
      throw new UsageError(`--gpu-profiles: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const missing = config.roles.filter((r) => !availableRoles.includes(r));
  if (missing.length > 0) {
    throw new UsageError(
      `--roles: ${missing.join(', ')} not available in this build (available: ${availableRoles.join(', ')})`,
    );
  }
  return { kind: 'serve', config };
}
