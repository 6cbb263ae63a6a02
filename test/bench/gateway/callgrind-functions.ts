// Self instructions by function from one callgrind dump (one thread's file), with the V8 JIT's
// code named from the process's perf map (`node --perf-basic-prof` writes /tmp/perf-<pid>.map):
// callgrind names code it has no symbols for by its address, and every JavaScript function V8
// compiled is such code. Builtins and C++ keep their own names.

/** One line of the perf map: code at [start, start + size) is `name`. */
interface MapEntry {
  start: number;
  size: number;
  name: string;
}

/** Parses a perf map (`<hex start> <hex size> <name>` per line), sorted by start. */
export function parsePerfMap(text: string): MapEntry[] {
  const out: MapEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/i.exec(line);
    if (m) out.push({ start: parseInt(m[1]!, 16), size: parseInt(m[2]!, 16), name: m[3]! });
  }
  return out.sort((a, b) => a.start - b.start);
}

function nameAt(map: MapEntry[], addr: number): string | undefined {
  let lo = 0;
  let hi = map.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid]!.start <= addr) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const e = map[best];
  return e && addr < e.start + e.size ? e.name : undefined;
}

/**
 * Self cost by function name, largest first: of the events named in `events` summed
 * (default the first, instructions; with valgrind's cache simulation, e.g. the last-level
 * misses `ILmr`, `DLmr` and `DLmw`), read from the dump's `events:` line. A call's line
 * (after `calls=`) is the callee's inclusive cost and is not the caller's own; names may be
 * compressed (`fn=(12) name` once, then `fn=(12)`). Code at an address the map does not
 * cover is `(unknown code)`.
 */
export function selfCostByFunction(
  dump: string,
  perfMap: string,
  events: string[] = [],
): [name: string, cost: number][] {
  const map = parsePerfMap(perfMap);
  const names = new Map<string, string>();
  const expand = (kind: string, v: string): string => {
    const m = /^\((\d+)\)(?:\s+(.*))?$/.exec(v);
    if (!m) return v;
    if (m[2] !== undefined) names.set(kind + m[1], m[2]);
    return names.get(kind + m[1]) ?? v;
  };
  const label = (fn: string): string => {
    const m = /^0x([0-9a-f]+)/i.exec(fn);
    if (!m) return fn;
    return nameAt(map, parseInt(m[1]!, 16)) ?? '(unknown code)';
  };
  const self = new Map<string, number>();
  // Columns of the cost line (after its position) to sum: the first event by default.
  let columns = [1];
  let fn = '';
  let callLine = false;
  for (const line of dump.split('\n')) {
    if (line.startsWith('events:')) columns = eventColumns(line.slice(7), events);
    else if (line.startsWith('fn=')) fn = label(expand('fn', line.slice(3)));
    else if (line.startsWith('cfn=')) expand('fn', line.slice(4));
    else if (line.startsWith('calls=')) callLine = true;
    else if (/^[+\-*0-9]/.test(line)) {
      if (callLine) callLine = false;
      else {
        const cost = line.split(/\s+/);
        let n = 0;
        for (const c of columns) n += Number(cost[c] ?? 0); // a missing trailing cost is 0
        self.set(fn, (self.get(fn) ?? 0) + n);
      }
    }
  }
  return [...self].sort((a, b) => b[1] - a[1]);
}

/** Where each wanted event is on a cost line (1 is the first event, after the position). */
function eventColumns(declared: string, wanted: string[]): number[] {
  const names = declared.trim().split(/\s+/);
  if (wanted.length === 0) return [1];
  return wanted.map((e) => {
    const i = names.indexOf(e);
    if (i < 0) throw new Error(`the dump has no event ${e} (it has ${names.join(' ')})`);
    return i + 1;
  });
}
