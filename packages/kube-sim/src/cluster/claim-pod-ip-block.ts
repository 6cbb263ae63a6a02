// Claims a pod IP block 127.B.0.0/16 across processes: kube-sims in parallel test workers must
// not hand out the same pod IPs (two pods on 127.B.0.1:8000 would collide). The claim is a
// listening socket on 127.B.255.254:CLAIM_PORT, held while the cluster runs: a second process
// trying the same block gets EADDRINUSE and picks another.
import { createServer, type Server } from 'node:net';

export const CLAIM_PORT = 65_431;

export interface PodIpBlockClaim {
  block: number;
  release(): Promise<void>;
}

function tryListen(server: Server, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(CLAIM_PORT, host, () => resolve(true));
  });
}

export async function claimPodIpBlock(
  random: () => number = Math.random,
): Promise<PodIpBlockClaim> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const block = 10 + Math.floor(random() * 240);
    const server = createServer((socket) => socket.destroy());
    if (await tryListen(server, `127.${block}.255.254`)) {
      server.unref();
      return { block, release: () => new Promise((resolve) => server.close(() => resolve())) };
    }
  }
  throw new Error('no free pod IP block in 127.10.0.0-127.249.255.255');
}
