import { StatusError, type WatchEvent } from '../../store/index.js';
import { queryFlag, sendError, wantsTable } from '../http-util.js';
import { buildTable } from '../table/build-table.js';
import { apiVersionOf, type ResourceRequest, type ServerContext } from './request-context.js';

/**
 * A watch over HTTP: one JSON event per line on a chunked response. Without a resourceVersion
 * (or with "0") it starts with ADDED events for the current objects; a version too old gets an
 * ERROR event with a 410 Status. The server ends the stream after `timeoutSeconds` (capped by the
 * server's own limit), sending a final BOOKMARK when bookmarks are allowed, so clients re-watch
 * from where they were.
 */
export function handleWatch(ctx: ServerContext, r: ResourceRequest): void {
  const { res } = r;
  const table = wantsTable(r.req.headers.accept);
  const bookmarks = queryFlag(r.query, 'allowWatchBookmarks');
  const requested = Number(r.query.get('timeoutSeconds') ?? '0');
  const timeout =
    requested > 0 ? Math.min(requested, ctx.watchTimeoutSeconds) : ctx.watchTimeoutSeconds;
  const rv = r.query.get('resourceVersion') ?? '';
  const name = r.name;
  let fieldSelector = r.query.get('fieldSelector') ?? undefined;
  if (name) fieldSelector = [`metadata.name=${name}`, fieldSelector].filter(Boolean).join(',');

  const encode = (event: WatchEvent | { type: 'ERROR'; object: unknown }): string => {
    if (table && event.type !== 'ERROR' && event.type !== 'BOOKMARK') {
      const t = buildTable(
        r.type,
        r.version,
        [event.object],
        { resourceVersion: event.object.metadata.resourceVersion },
        'Metadata',
        ctx.clock(),
      );
      return `${JSON.stringify({ type: event.type, object: t })}\n`;
    }
    return `${JSON.stringify(event)}\n`;
  };
  const pending: string[] = [];
  let started = false;
  let closed = false;
  const write = (line: string): void => {
    if (closed) return;
    if (!started) pending.push(line);
    else res.write(line);
  };

  let stop: () => void = () => {};
  try {
    stop = ctx.store.watch(
      r.ref,
      {
        ...(r.namespace ? { namespace: r.namespace } : {}),
        labelSelector: r.query.get('labelSelector') ?? undefined,
        fieldSelector,
        resourceVersion: rv === '' ? '0' : rv,
        shared: true,
      },
      (event) => write(encode(event)),
    );
  } catch (err) {
    if (err instanceof StatusError && err.code === 410) {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Cache-Control': 'no-cache, private',
      });
      res.end(encode({ type: 'ERROR', object: err.toStatus() }));
      return;
    }
    sendError(res, err);
    return;
  }
  res.writeHead(200, {
    'Content-Type': table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  started = true;
  ctx.stats.watchesStarted++;
  res.write(pending.join(''));
  pending.length = 0;

  const bookmark = (): void => {
    if (!bookmarks || table) return;
    write(
      encode({
        type: 'BOOKMARK',
        object: {
          kind: r.type.kind,
          apiVersion: apiVersionOf(r),
          metadata: { resourceVersion: ctx.store.currentResourceVersion() },
        },
      }),
    );
  };
  const ticker = setInterval(bookmark, ctx.bookmarkIntervalMs);
  ticker.unref();
  const finish = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(ticker);
    clearTimeout(timer);
    stop();
    ctx.watches.delete(finish);
    if (!res.writableEnded) res.end();
  };
  const timer = setTimeout(() => {
    bookmark();
    ctx.stats.watchesEndedByServer++;
    finish();
  }, timeout * 1000);
  timer.unref();
  ctx.watches.add(finish);
  r.req.on('close', finish);
  res.on('close', finish);
}
