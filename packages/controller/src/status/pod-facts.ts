import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { ENGINE_CONTAINER, ENGINE_PORT_NAME } from '@bascule/engines';

/** What the status needs to know about one pod, read once. */
export interface PodFacts {
  name: string;
  node?: string;
  ip?: string;
  port?: number;
  phase: string;
  ready: boolean;
  terminating: boolean;
  /** Scheduler message when PodScheduled=False/Unschedulable. */
  unschedulable?: string;
  /** Waiting reason of the engine container (ContainerCreating, CrashLoopBackOff, ErrImagePull...). */
  waitingReason?: string;
  waitingMessage?: string;
  restarts: number;
  /** Exit code and reason of the last termination, if any. */
  lastExit?: string;
  /** The engine container runs (loading or serving). */
  running: boolean;
  /** The pod's node exists and is not Ready. */
  nodeNotReady: boolean;
  /** Template hash annotation of the pod. */
  templateHash?: string;
  /** Adapters the engine was started with (TGI `--lora-adapters name=path,...`). */
  startAdapters?: string[];
}

function isNodeReady(node: V1Node | undefined): boolean {
  return node?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/** Reads a pod (and its node) into PodFacts. */
export function podFacts(
  pod: V1Pod,
  nodes: ReadonlyMap<string, V1Node>,
  hashAnnotation: string,
): PodFacts {
  const conditions = pod.status?.conditions ?? [];
  const scheduled = conditions.find((c) => c.type === 'PodScheduled');
  const engineSpec =
    pod.spec?.containers.find((c) => c.name === ENGINE_CONTAINER) ?? pod.spec?.containers[0];
  const engine =
    pod.status?.containerStatuses?.find((c) => c.name === engineSpec?.name) ??
    pod.status?.containerStatuses?.[0];
  const port =
    engineSpec?.ports?.find((p) => p.name === ENGINE_PORT_NAME)?.containerPort ??
    engineSpec?.ports?.[0]?.containerPort;
  const node = pod.spec?.nodeName;
  const terminated = engine?.lastState?.terminated;
  const facts: PodFacts = {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Pending',
    ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    terminating: Boolean(pod.metadata?.deletionTimestamp),
    restarts: engine?.restartCount ?? 0,
    running: Boolean(engine?.state?.running),
    nodeNotReady: node !== undefined && nodes.has(node) && !isNodeReady(nodes.get(node)),
  };
  if (node) facts.node = node;
  if (pod.status?.podIP) facts.ip = pod.status.podIP;
  if (port !== undefined) facts.port = port;
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    facts.unschedulable = scheduled.message ?? 'no node fits the pod';
  }
  if (engine?.state?.waiting?.reason) {
    facts.waitingReason = engine.state.waiting.reason;
    if (engine.state.waiting.message) facts.waitingMessage = engine.state.waiting.message;
  }
  if (terminated) {
    facts.lastExit = `exit code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}`;
  }
  const startAdapters = loraAdaptersArg(engineSpec?.args ?? []);
  if (startAdapters) facts.startAdapters = startAdapters;
  const hash = pod.metadata?.annotations?.[hashAnnotation];
  if (hash) facts.templateHash = hash;
  return facts;
}

/**
 * TGI loads its adapters at start only (`--lora-adapters a=path,b=path` or `a,b`): the names in
 * the pod's own args are what its engine serves. vLLM pods load theirs at run time (see
 * adapters/sync-adapters.ts) and carry no such flag.
 */
export function loraAdaptersArg(args: readonly string[]): string[] | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--lora-adapters') value = args[i + 1];
    else if (a.startsWith('--lora-adapters=')) value = a.slice('--lora-adapters='.length);
  }
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((p) => p.split('=')[0]!.trim())
    .filter((n) => n.length > 0)
    .sort();
}
