#!/usr/bin/env -S node --min-semi-space-size=16
import { runServer } from './serve.js';

const stopSignal = () =>
  new Promise<string>((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      resolve(signal);
      // A second signal while stopping gracefully: stop now.
      process.once(signal, () => process.exit(130));
    };
    process.once('SIGTERM', on);
    process.once('SIGINT', on);
  });

runServer(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stopSignal,
}).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bascule-server: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
