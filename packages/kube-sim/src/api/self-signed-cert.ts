import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsMaterial {
  key: string;
  cert: string;
}

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the `openssl` binary
 * (Node has no API to issue X.509 certificates). kubectl only sends bearer tokens over TLS.
 */
export async function createSelfSignedCert(
  hosts: string[] = ['127.0.0.1', 'localhost'],
): Promise<TlsMaterial> {
  const dir = await mkdtemp(join(tmpdir(), 'kube-sim-tls-'));
  try {
    const san = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
    await new Promise<void>((resolve, reject) => {
      execFile(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-days',
          '30',
          '-subj',
          '/CN=kube-sim',
          '-addext',
          `subjectAltName=${san}`,
          '-addext',
          'basicConstraints=critical,CA:TRUE',
        ],
        { timeout: 20_000 },
        (err, _stdout, stderr) =>
          err
            ? reject(
                new Error(
                  `openssl could not create a certificate: ${stderr.trim() || err.message}`,
                ),
              )
            : resolve(),
      );
    });
    return {
      key: await readFile(join(dir, 'key.pem'), 'utf8'),
      cert: await readFile(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
