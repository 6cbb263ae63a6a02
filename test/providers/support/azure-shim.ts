import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AzureShim {
  url: string;
  /** Requests that reached the shim with Azure's exact path, api-version and api-key. */
  accepted: { deployment: string; apiVersion: string; endpoint: string }[];
  close(): Promise<void>;
}

const AZURE_PATH = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|completions|embeddings)$/;

/**
 * A stand-in for an Azure OpenAI resource: accepts only
 * `/openai/deployments/{deployment}/{endpoint}?api-version=...` with an `api-key` header
 * (https://learn.microsoft.com/azure/ai-services/openai/reference), then forwards to an
 * OpenAI-type provider-sim as `/v1/{endpoint}` with a Bearer key and the deployment's model.
 */
export async function startAzureShim(opts: {
  upstream: string;
  apiKey: string;
  deployments: Record<string, string>;
}): Promise<AzureShim> {
  const accepted: AzureShim['accepted'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://shim');
    const m = AZURE_PATH.exec(url.pathname);
    const apiVersion = url.searchParams.get('api-version');
    const reject = (status: number, code: string, message: string): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code, message } }));
    };
    if (!m || !apiVersion) return reject(404, 'NotFound', 'Resource not found');
    if (req.headers.authorization) return reject(400, 'BadRequest', 'use the api-key header');
    const deployment = decodeURIComponent(m[1] ?? '');
    const model = opts.deployments[deployment];
    if (!model) return reject(404, 'DeploymentNotFound', `deployment ${deployment} not found`);
    // A wrong key is forwarded as is, so the upstream's own 401 comes back.
    const key = req.headers['api-key'];
    accepted.push({ deployment, apiVersion, endpoint: m[2] ?? '' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
      body.model = model;
      const upstream = httpRequest(
        `${opts.upstream}/v1/${m[2] ?? ''}`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${String(key ?? '')}`,
          },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
      upstream.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
