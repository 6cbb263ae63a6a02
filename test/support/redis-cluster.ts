/**
 * A private three-master Redis Cluster on loopback for tests: three `redis-server
 * --cluster-enabled yes` (each in its own temp dir with its own cluster config file, on free
 * ports), joined with `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes`, and
 * ready once every node reports cluster_state:ok. Its URL is the `redis+cluster://` form
 * Bascule's connection factory (@bascule/keyspace createRedis) reads.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startRedisServer, type RunningRedisServer } from './redis-server.js';
import { waitFor } from '@bascule/test-support';

const run = promisify(execFile);

export interface RunningRedisCluster {
  nodes: RunningRedisServer[];
  /** `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3` */
  url: string;
  /** Stops every node and removes their directories. */
  stop(): Promise<void>;
}

export async function startRedisCluster(
  masters = 3,
  deadlineMs = 30_000,
): Promise<RunningRedisCluster> {
  const nodes: RunningRedisServer[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  };
  try {
    for (let i = 0; i < masters; i++)
      nodes.push(
        await startRedisServer({
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '5000',
          ],
        }),
      );
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((n) => `${n.host}:${n.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { timeout: deadlineMs },
    );
    const info = async (n: RunningRedisServer) =>
      (await run('redis-cli', ['-h', n.host, '-p', String(n.port), 'cluster', 'info'])).stdout;
    await waitFor(
      'cluster_state:ok on every node',
      async () => (await Promise.all(nodes.map(info))).every((t) => t.includes('cluster_state:ok')),
      deadlineMs,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    nodes,
    url: `redis+cluster://${nodes.map((n) => `${n.host}:${n.port}`).join(',')}`,
    stop,
  };
}
