import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';

/**
 * The dashboard's static assets at /dashboard/ (and `/` redirects there). The page itself holds
 * no data: it calls /api/v1/dashboard/... with the key the user signs in with, so every byte of
 * data passes the same admission as the rest of the API. Without built assets (`pnpm build`
 * builds them) /dashboard/ answers a 404 that says so.
 */
export function serveDashboard(app: Express, dir: string | undefined): void {
  const built = dir !== undefined && existsSync(join(dir, 'index.html'));
  app.get('/', (_req, res) => {
    res.redirect(302, '/dashboard/');
  });
  if (built) {
    app.use(
      '/dashboard',
      (_req, res, next) => {
        // No third-party origins, no framing; the key stays in sessionStorage, never in URLs.
        res.setHeader(
          'content-security-policy',
          "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
        );
        res.setHeader('referrer-policy', 'no-referrer');
        res.setHeader('x-content-type-options', 'nosniff');
        next();
      },
      express.static(dir, {
        index: 'index.html',
        redirect: true,
        // Assets are content-hashed (cache them); index.html names the current ones (do not).
        setHeaders: (res, path) =>
          res.setHeader(
            'cache-control',
            path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
          ),
      }),
    );
  }
  app.get(/^\/dashboard(\/.*)?$/, (_req, res) => {
    res
      .status(404)
      .type('text/plain')
      .send(
        built
          ? 'not found\n'
          : 'the dashboard is not built: run `pnpm build` (it builds apps/dashboard)\n',
      );
  });
}
