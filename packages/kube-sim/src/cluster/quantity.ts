// Kubernetes resource quantities ("500m", "16Gi", "1.5", "2e3") as numbers in base units.

const SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY =
  /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei))?$/;

// Parsed values of the few distinct quantity strings a cluster uses ("8", "64Gi", "500m"...): the
// scheduler evaluates them for every pod against every node.
const memo = new Map<string, number>();
const MEMO_LIMIT = 10_000;

/** Parses a quantity; throws an Error naming the quantity when it is malformed. */
export function parseQuantity(value: string | number): number {
  if (typeof value === 'number') return value;
  const known = memo.get(value);
  if (known !== undefined) return known;
  const parsed = parseUncached(value);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(value, parsed);
  return parsed;
}

function parseUncached(value: string): number {
  const match = QUANTITY.exec(value.trim());
  if (!match)
    throw new Error(
      `quantities must match the regular expression '${QUANTITY.source}': "${value}"`,
    );
  const base = Number(match[1]);
  if (match[2]) return base * 10 ** Number(match[2].slice(1));
  return base * (SUFFIXES[match[3] ?? ''] ?? 1);
}

/** CPU in millicores, rounded up as the scheduler does. */
export function parseCpuMillis(value: string | number): number {
  return Math.ceil(parseQuantity(value) * 1000 - 1e-9);
}
