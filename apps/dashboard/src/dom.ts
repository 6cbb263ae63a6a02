/** Creates an element with text content (never HTML: nothing from the API is parsed as markup). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; text?: string; testid?: string } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.class) e.className = props.class;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.testid) e.dataset.testid = props.testid;
  e.append(...children);
  return e;
}

/** A table of strings (a `caption` names it for people and tests). */
export function table(caption: string, headers: string[], rows: string[][]): HTMLTableElement {
  const t = el('table', { testid: `table-${caption.toLowerCase().replace(/\W+/g, '-')}` });
  t.append(el('caption', { text: caption }));
  const head = el('tr');
  for (const h of headers) head.append(el('th', { text: h }));
  t.append(el('thead', {}, head));
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr');
    for (const c of r) tr.append(el('td', { text: c }));
    body.append(tr);
  }
  if (rows.length === 0) {
    const tr = el('tr');
    const td = el('td', { text: 'none', class: 'empty' });
    td.colSpan = headers.length;
    tr.append(td);
    body.append(tr);
  }
  t.append(body);
  return t;
}

export const usd = (x: number) => `$${x < 1 ? x.toFixed(4) : x.toFixed(2)}`;
export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
export const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
