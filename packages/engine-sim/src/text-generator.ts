import { seededRandom } from './seeded-random.js';

const WORDS = (
  'the of and to in a is that for it as with was on be by this are or at from an which have not ' +
  'model system data time request token engine batch cache memory queue latency stream cluster node ' +
  'value result service network capacity replica signal policy route budget scale load power light ' +
  'river mountain garden window morning evening question answer reason simple careful quiet bright ' +
  'quickly slowly together across between through under over about after before during without'
).split(' ');

/**
 * Deterministic text, one word per token: the same seed always gives the same tokens. Each
 * token after the first carries its leading space, sentences end with a period every 8–15
 * words, so concatenating tokens gives readable-looking text.
 */
export class TextGenerator {
  private readonly random: () => number;
  private sinceSentence = 0;
  private sentenceLength = 0;
  private count = 0;

  constructor(seed: number) {
    this.random = seededRandom(seed);
    this.sentenceLength = this.nextSentenceLength();
  }

  next(): string {
    const word = WORDS[Math.floor(this.random() * WORDS.length)]!;
    const first = this.sinceSentence === 0;
    let token =
      (this.count === 0 ? '' : ' ') + (first ? word[0]!.toUpperCase() + word.slice(1) : word);
    this.count += 1;
    this.sinceSentence += 1;
    if (this.sinceSentence >= this.sentenceLength) {
      token += '.';
      this.sinceSentence = 0;
      this.sentenceLength = this.nextSentenceLength();
    }
    return token;
  }

  private nextSentenceLength(): number {
    return 8 + Math.floor(this.random() * 8);
  }
}
