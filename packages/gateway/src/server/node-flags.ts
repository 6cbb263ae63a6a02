/**
 * Node flags every process that serves the gateway starts with (ADR 0041): the image's
 * ENTRYPOINT, `pnpm bascule-server`, the server binary's shebang, `pnpm start`'s child and
 * every process of the gateway benches; test/helm/node-flags.test.ts checks the launchers.
 *
 * `--min-semi-space-size=16`: V8 sizes the young generation by what survives it, and almost
 * nothing a gateway allocates for a request outlives the request, so it keeps the young
 * generation at 1-2 MB and scavenges every ~60 requests (about 20 KB allocated each). At one
 * connection that put a scavenge pause in 1.6% of requests, right in the p99. With 16 MB
 * semi-spaces a scavenge comes every ~650 requests; each pauses about twice as long (1.2 ms
 * against 0.6), so GC time per request still falls 2-4x. It cannot be set from NODE_OPTIONS nor
 * at run time (the heap is configured when the isolate is made).
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--min-semi-space-size=16'];
