import { describe, expect, it } from 'vitest';
import { addToSlots, removeFromSlots, type Slotted } from './slot-list.js';

interface Item extends Slotted {
  id: number;
}

describe('slot list', () => {
  it('adds, removes from any place and twice, and keeps every slot true', () => {
    const list: Item[] = [];
    const items = Array.from({ length: 6 }, (_, id) => ({ id, slot: -1 }));
    for (const i of items) addToSlots(list, i);
    for (const id of [2, 5, 0, 2]) removeFromSlots(list, items[id]!);
    expect(list.map((i) => i.id).sort()).toEqual([1, 3, 4]);
    list.forEach((i, at) => expect(i.slot).toBe(at));
    expect([0, 2, 5].map((id) => items[id]!.slot)).toEqual([-1, -1, -1]);
    addToSlots(list, items[2]!);
    expect(list[items[2]!.slot]).toBe(items[2]);
    for (const i of [...list]) removeFromSlots(list, i);
    expect(list).toEqual([]);
  });
});
