/** Text of an OpenAI message content: a string or an array of text (or refusal) parts. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as { type?: string; text?: string; refusal?: string }[])
    .map((p) =>
      p.type === 'text' ? (p.text ?? '') : p.type === 'refusal' ? (p.refusal ?? '') : '',
    )
    .join('');
}
