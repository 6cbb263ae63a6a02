/**
 * The declared layering of the workspace: every directory under packages/ and apps/ sits in one
 * layer, and may depend only on packages in lower layers (never sideways, never up). A new
 * package must be placed here, or test/architecture/layering.test.ts fails. docs/architecture.md
 * explains the layers; keep the two in step.
 *
 * Directories listed here but absent from the tree are fine (helpers add and split packages in
 * parallel; the table names them ahead).
 */
export interface Layer {
  name: string;
  /** Why these packages sit here: what they may use and who uses them. */
  why: string;
  /** Directories relative to the repository root. */
  members: readonly string[];
}

/** Lowest first. */
export const LAYERS: readonly Layer[] = [
  {
    name: 'contracts',
    why: 'resource schemas, label/annotation/header names, Redis key names: imported by all',
    members: ['packages/spec', 'packages/keyspace', 'packages/test-support'],
  },
  {
    name: 'building blocks',
    why: 'Kubernetes client and runtime, engine rendering, provider adapters, routing policy',
    members: ['packages/kube', 'packages/engines', 'packages/providers', 'packages/router'],
  },
  {
    name: 'services',
    why: 'the control plane roles: each composes building blocks, none calls another directly',
    members: ['packages/autoscaler', 'packages/controller', 'packages/gateway', 'packages/queue'],
  },
  {
    name: 'simulated engines',
    why: 'engine simulators, built on the engines and router they stand in for',
    members: ['packages/engine-sim'],
  },
  {
    name: 'simulators',
    why: 'simulated cluster and providers, trace replay: may run the production packages',
    members: ['packages/kube-sim', 'packages/provider-sim', 'packages/replay', 'packages/sim'],
  },
  {
    name: 'web assets',
    why: 'the dashboard, built to static files the control plane serves',
    members: ['apps/dashboard'],
  },
  {
    name: 'apps',
    why: 'binaries: the bascule CLI, the control plane, the local stack and the sim CLI',
    members: ['apps/cli', 'apps/control-plane', 'apps/local-stack', 'apps/sim'],
  },
];

/**
 * Simulators and what only runs them. They may import production packages; no production
 * package or app may import them (not even in its tests: those use the real thing or inject).
 */
export const SIMULATORS: readonly string[] = [
  'packages/engine-sim',
  'packages/kube-sim',
  'packages/provider-sim',
  'packages/replay',
  'packages/sim',
  'apps/local-stack',
  'apps/sim',
];

/** Test helpers: a package may declare them only as devDependencies. */
export const TEST_ONLY: readonly string[] = ['packages/test-support'];
