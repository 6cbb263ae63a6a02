// Token counts for usage fields. All three providers are counted with OpenAI's cl100k_base BPE
// (js-tiktoken): exact for older OpenAI models, a close approximation for the others, whose
// tokenizers are not public. Building the encoder takes ~0.5 s, so it is built once per process
// (the encoder is immutable, so sharing it is safe) and awaited before a simulator listens.
import { Tiktoken } from 'js-tiktoken/lite';

export interface TokenCounter {
  count(text: string): number;
}

let shared: Promise<TokenCounter> | undefined;

export function loadTokenCounter(): Promise<TokenCounter> {
  shared ??= import('js-tiktoken/ranks/cl100k_base').then((mod) => {
    const encoder = new Tiktoken(mod.default);
    return { count: (text: string) => (text.length === 0 ? 0 : encoder.encode(text).length) };
  });
  return shared;
}
