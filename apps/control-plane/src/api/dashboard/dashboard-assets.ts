import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The built dashboard of the @bascule/dashboard package (its dist/), or undefined if not installed. */
export function dashboardAssetsDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@bascule/dashboard/package.json');
    return join(dirname(pkg), 'dist');
  } catch {
    return undefined;
  }
}
