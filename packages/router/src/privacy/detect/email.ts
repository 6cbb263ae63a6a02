import { findAll, type Detector } from './finding.js';

// Bounded quantifiers only: each start position costs at most ~64 + 8 * 64 steps (linear overall).
const EMAIL =
  /(?<![A-Za-z0-9._%+-]|\/\/[^\s@/]{0,64}:)[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

/** E-mail addresses: local part, @, a domain with a letters-only top-level label. */
export const emailDetector: Detector = {
  class: 'email',
  find: (text) =>
    text.includes('@')
      ? findAll(text, EMAIL, (m) => ({
          start: m.index,
          end: m.index + m[0].length,
          kind: 'email',
        }))
      : [],
};
