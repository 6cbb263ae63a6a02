export const summary = '(not built yet)';

export function run(_argv: string[]): Promise<number> {
  process.stderr.write('sim cluster: not built yet\n');
  return Promise.resolve(2);
}
