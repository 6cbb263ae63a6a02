/** kubectl-style table: upper-case headers, columns padded to the widest cell plus 3 spaces. */
export function renderTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return (
    cells
      .map((r) =>
        r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3)))
          .join('')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** Colour only when writing to a terminal and NO_COLOR is unset. */
export function colour(
  io: { stdout: unknown; env: NodeJS.ProcessEnv },
  code: number,
  text: string,
): string {
  const tty = (io.stdout as { isTTY?: boolean }).isTTY === true && !io.env.NO_COLOR;
  return tty ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/** "5m", "3h", "2d" since an ISO time, as kubectl's AGE. */
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** A cell from any JSON value: strings and numbers as they are, the rest as JSON. */
export function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
