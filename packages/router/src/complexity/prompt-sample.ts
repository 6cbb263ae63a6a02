/** The parts of a prompt a complexity scorer looks at. Built once per request. */
export interface PromptSample {
  /** The last user message (text parts joined), at most `SAMPLE_CHARS` characters. */
  lastUser: string;
  /** Characters in all messages. */
  totalChars: number;
  /** User turns in the conversation. */
  userTurns: number;
  /** Tools offered to the model. */
  tools: number;
  /** Characters of the system prompt. */
  systemChars: number;
}

/** Longest piece of the last user message a scorer reads: keeps scoring in microseconds. */
export const SAMPLE_CHARS = 2000;

interface MessageLike {
  role: string;
  content?: unknown;
}

/** Builds a PromptSample from OpenAI-shaped chat messages (or a completion prompt). */
export function samplePrompt(
  messages: readonly MessageLike[] | string | readonly string[],
  tools = 0,
): PromptSample {
  if (typeof messages === 'string') return fromText(messages, tools);
  if (messages.length > 0 && typeof messages[0] === 'string')
    return fromText((messages as readonly string[]).join('\n'), tools);
  let totalChars = 0;
  let userTurns = 0;
  let systemChars = 0;
  let lastUser = '';
  for (const m of messages as readonly MessageLike[]) {
    const text = textOf(m.content);
    totalChars += text.length;
    if (m.role === 'user') {
      userTurns++;
      lastUser = text;
    } else if (m.role === 'system' || m.role === 'developer') systemChars += text.length;
  }
  return {
    lastUser: lastUser.length > SAMPLE_CHARS ? lastUser.slice(0, SAMPLE_CHARS) : lastUser,
    totalChars,
    userTurns,
    tools,
    systemChars,
  };
}

function fromText(text: string, tools: number): PromptSample {
  return {
    lastUser: text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text,
    totalChars: text.length,
    userTurns: 1,
    tools,
    systemChars: 0,
  };
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let s = '';
  for (const p of content as { type?: string; text?: unknown }[]) {
    if (p && p.type === 'text' && typeof p.text === 'string') s += (s ? '\n' : '') + p.text;
  }
  return s;
}
