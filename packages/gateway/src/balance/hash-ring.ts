import { hashString } from './hash-string.js';

/** Virtual nodes per endpoint: enough for an even spread with a handful of endpoints. */
const VNODES = 64;

/** A consistent-hash ring over endpoint ids. */
export class HashRing {
  private readonly points: Uint32Array;
  private readonly owners: string[];

  constructor(readonly ids: readonly string[]) {
    const pts: { p: number; id: string }[] = [];
    for (const id of ids)
      for (let v = 0; v < VNODES; v++) pts.push({ p: hashString(`${id}#${v}`), id });
    pts.sort((a, b) => a.p - b.p);
    this.points = Uint32Array.from(pts.map((x) => x.p));
    this.owners = pts.map((x) => x.id);
  }

  /** Distinct endpoint ids in ring order starting at `key`'s position. */
  walk(key: number): string[] {
    const n = this.points.length;
    if (n === 0) return [];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.points[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    const seen = new Set<string>();
    const out: string[] = [];
    for (let i = 0; i < n && out.length < this.ids.length; i++) {
      const id = this.owners[(lo + i) % n]!;
      if (!seen.has(id)) {
        seen.add(id);
        out.push(id);
      }
    }
    return out;
  }
}
