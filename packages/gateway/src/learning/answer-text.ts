/** The text of an OpenAI chat or completion answer (first choice); '' when there is none. */
export function answerText(json: string): string {
  try {
    const b = JSON.parse(json) as {
      choices?: { message?: { content?: unknown }; text?: unknown }[];
    };
    const c = b.choices?.[0];
    const t = c?.message?.content ?? c?.text;
    return typeof t === 'string' ? t : '';
  } catch {
    return '';
  }
}
