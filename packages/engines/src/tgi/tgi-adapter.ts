import { defineEngineAdapter } from '../adapter/define-engine-adapter.js';
import { readTgiLoad } from './read-tgi-load.js';
import { renderTgiArgs } from './render-tgi-args.js';
import { TGI_METRICS } from './tgi-metric-names.js';

/** The official Text Generation Inference image this adapter targets (3.3.5). */
export const TGI_IMAGE = 'ghcr.io/huggingface/text-generation-inference:3.3.5';

/**
 * TGI: the image's entrypoint (/tgi-entrypoint.sh, which activates the server's virtualenv and
 * execs text-generation-launcher) with flags as args, on port 8080; /health answers 200 once
 * the shards are up; metrics at /metrics.
 */
export const tgiAdapter = defineEngineAdapter({
  engine: 'tgi',
  defaultImage: TGI_IMAGE,
  port: 8080,
  healthPath: '/health',
  metricsPath: '/metrics',
  metricNames: TGI_METRICS,
  streamsS3: false,
  command: [],
  renderArgs: renderTgiArgs,
  readLoad: readTgiLoad,
});
