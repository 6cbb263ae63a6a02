// What `pnpm start` prints once the stack is up: URLs, the admin key, and commands that work
// as printed (from the repository root).
import type { ProviderType } from './example-manifests.js';

export interface NextStepsInput {
  gatewayUrl: string;
  apiUrl: string;
  metricsUrl: string;
  kubeUrl: string;
  redisUrl: string;
  adminKey: string;
  /** The kubeconfig path as the user should type it (relative to the cwd when inside it). */
  kubeconfig: string;
  stateDir: string;
  logFile: string;
  examples: string[];
  allExamples: boolean;
  providers: Record<ProviderType, 'sim' | 'real'>;
  /** GPU nodes the chat Route's small model can run on (for the overflow demo). */
  l4Nodes: string[];
}

export const READY_LINE = 'Bascule is ready.';

export function nextSteps(i: NextStepsInput): string {
  const kc = `kubectl --kubeconfig ${i.kubeconfig}`;
  const auth = `-H "Authorization: Bearer ${i.adminKey}"`;
  const providers = (['openai', 'anthropic', 'gemini'] as const)
    .map((t) => `${t} ${i.providers[t] === 'real' ? '(real API)' : '(provider-sim)'}`)
    .join(', ');
  const nodes = i.l4Nodes.join(' ');
  return `
${READY_LINE}

  gateway (OpenAI-compatible)  ${i.gatewayUrl}/v1
  dashboard                    ${i.apiUrl}/dashboard/   (sign in with the admin key)
  control API                  ${i.apiUrl}/api/v1   (OpenAPI: ${i.apiUrl}/api/openapi.json)
  admin key                    ${i.adminKey}
  metrics, health              ${i.metricsUrl}/metrics
  Kubernetes (kube-sim)        ${i.kubeUrl}   kubeconfig: ${i.kubeconfig}
  Redis                        ${i.redisUrl}
  providers                    ${providers}
  examples applied             ${i.allExamples ? 'all of manifests/examples' : `${i.examples.length} of manifests/examples (pnpm start -- --all-examples for all)`}
  state and logs               ${i.stateDir}/ (logs: ${i.logFile})

Chat through the "chat" Route (a simple prompt: served by Llama 3.1 8B on the cluster):

  curl -s ${i.gatewayUrl}/v1/chat/completions ${auth} \\
    -H "Content-Type: application/json" \\
    -d '{"model":"chat","messages":[{"role":"user","content":"Say hello in five words."}]}'

The same with the openai SDK (run it here: the repository has the openai package):

node --input-type=module <<'EOF'
import OpenAI from 'openai';
const client = new OpenAI({ baseURL: '${i.gatewayUrl}/v1', apiKey: '${i.adminKey}' });
const { data, response } = await client.chat.completions
  .create({ model: 'chat', messages: [{ role: 'user', content: 'Write a Python function that merges two sorted lists, then prove it correct step by step.' }] })
  .withResponse();
console.log(response.headers.get('x-bascule-target'), '->', data.choices[0].message.content);
EOF

  (a complex prompt like that one goes to GPT-5; "Say hello" stays on Llama: see the
  x-bascule-target and x-bascule-route-reason response headers, curl -si shows them)

Look around:

  ${kc} get models
  ${kc} get routes,providers,deployments,pods -o wide
  export BASCULE_SERVER=${i.apiUrl} BASCULE_TOKEN=${i.adminKey}
  pnpm bascule get models
  pnpm bascule describe model llama-3-1-8b-instruct
  pnpm bascule route explain chat --prompt "Summarise this paragraph."

Trigger an overflow: take the L4 nodes down; "chat" requests then go to GPT-5 mini
(x-bascule-route-reason: overflow:...) instead of failing, and come back once a node is up:

  ${kc} annotate node ${nodes} sim.bascule.dev/state=down --overwrite
  curl -si ${i.gatewayUrl}/v1/chat/completions ${auth} -H "Content-Type: application/json" \\
    -d '{"model":"chat","messages":[{"role":"user","content":"Hi"}]}' | grep -i '^x-bascule'
  ${kc} annotate node ${nodes} sim.bascule.dev/state=up --overwrite

The "private-chat" Route never leaves the cluster: it waits (up to 2 minutes) for Qwen3 32B, which
is scaled to zero; warm it first with: ${kc} scale model/qwen3-32b --replicas=1

Run a batch (the OpenAI Batch API on the gateway port; the "batch" Route runs its lines on
idle GPU capacity, cheapest target first):

node --input-type=module <<'EOF'
import OpenAI, { toFile } from 'openai';
const client = new OpenAI({ baseURL: '${i.gatewayUrl}/v1', apiKey: '${i.adminKey}' });
const lines = ['What is 2 + 2?', 'Name a primary colour.', 'Say hi in French.'].map((q, n) =>
  JSON.stringify({ custom_id: 'q' + n, method: 'POST', url: '/v1/chat/completions',
    body: { model: 'batch', max_tokens: 32, messages: [{ role: 'user', content: q }] } }));
const file = await client.files.create({ purpose: 'batch', file: await toFile(Buffer.from(lines.join('\\n')), 'questions.jsonl') });
let batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
while (!['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) {
  await new Promise((r) => setTimeout(r, 500));
  batch = await client.batches.retrieve(batch.id);
}
console.log(batch.id, batch.status, JSON.stringify(batch.request_counts));
console.log(await (await client.files.content(batch.output_file_id)).text());
EOF

  (pnpm bascule get batches lists them, with the BASCULE_ variables exported above)

Press Ctrl-C to stop everything.
`;
}
