/**
 * A list whose members know their index, for what comes and goes per request or per
 * connection on a hot path: add and remove are O(1) (a leaving member's slot goes to the last
 * one) and nothing is allocated but the array's growth. Not a Set or Map: one that gains and
 * loses an entry per request rebuilds its hash table every few requests, each table it leaves
 * points to the next and still holds its entries, and once one of them is promoted every later
 * table and entry survives young-generation GCs until a full GC (ADR 0040).
 */
export interface Slotted {
  /** Index in the list; -1 when in none. */
  slot: number;
}

export function addToSlots<T extends Slotted>(list: T[], item: T): void {
  item.slot = list.push(item) - 1;
}

/** Removes `item` if it is in `list` (idempotent). Order is not kept. */
export function removeFromSlots<T extends Slotted>(list: T[], item: T): void {
  if (item.slot < 0) return;
  const last = list.pop()!;
  if (last !== item) {
    list[item.slot] = last;
    last.slot = item.slot;
  }
  item.slot = -1;
}
