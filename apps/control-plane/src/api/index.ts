export * from './api-deps.js';
export * from './api-error.js';
export * from './create-api-app.js';
export * from './openapi.js';
export * from './start-api.js';
export type { ApplyResult, ApplyOutcome } from './routes/apply-routes.js';
export * from './queue-authenticate.js';
export type { DashboardSeries } from './dashboard/summarize-series.js';
