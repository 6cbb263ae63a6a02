export * from './start-api-server.js';
export type { ApiServerStats } from './handlers/request-context.js';
export * from './write-kubeconfig.js';
export * from './self-signed-cert.js';
export { applyJsonPatch } from './patch/json-patch.js';
export { applyMergePatch } from './patch/merge-patch.js';
export { applyStrategicMergePatch } from './patch/strategic-merge-patch.js';
export {
  builtinListStrategy,
  listStrategyFor,
  type ListStrategy,
  type ListStrategyResolver,
} from './patch/list-strategy.js';
export { serverSideApply, type ApplyRequest } from './apply/server-side-apply.js';
export { buildTable } from './table/build-table.js';
export { humanDuration } from './table/human-duration.js';
