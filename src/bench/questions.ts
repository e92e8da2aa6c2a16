import { MAX_PASSAGE_CHARS } from '../search/passages.js';
import { normalize } from '../text/normalize.js';
import { QUERY_STOPWORDS } from '../text/stopwords.js';
import { tokenize } from '../text/tokenize.js';
import type { Rng } from './rng.js';

/** A question with a known answer: the paragraph it was made from (stored as exactly one passage). */
export interface BenchQuestion {
  question: string;
  /** The paragraph's text; a returned passage that contains it answers the question. */
  answer: string;
  passageId: number;
}

const HAN = /\p{Script=Han}/u;
const LATIN_OR_NUMBER = /^[\p{Script=Latin}\p{Nd}.]+$/u;
const DIGITS = /^[\d.]+$/;
const LATIN_EDGE = /[a-z0-9]/;

const TEMPLATES = [(q: string) => `${q}是什么？`, (q: string) => `${q}有多少？`, (q: string) => `${q}在哪里？`, (q: string) => `什么${q}？`, (q: string) => `多少${q}？`];

function isCandidate(term: string): boolean {
  if (QUERY_STOPWORDS.has(term) || term.length < 2) return false;
  if (HAN.test(term)) return true;
  if (!LATIN_OR_NUMBER.test(term)) return false;
  // Short numbers (12, 40) are everywhere; a year or a hotline number is a fair thing to ask about.
  return !DIGITS.test(term) || term.length >= 3;
}

/**
 * Makes a question from 3–6 of a paragraph's rarer words (by jieba dictionary frequency; words jieba does
 * not know, such as names and numbers, count as rarest), in their order in the paragraph, plus a question
 * word (什么/多少/哪里). Undefined when the paragraph has fewer than 3 usable words or is longer than one passage.
 */
export function questionFrom(paragraph: string, rng: Rng, frequencyOf: ReadonlyMap<string, number>): string | undefined {
  if (paragraph.length > MAX_PASSAGE_CHARS) return undefined;
  const terms = [...new Set(tokenize(paragraph))].filter(isCandidate);
  // `40gwh` is indexed with its parts `40` and `gwh`: asking for the whole is enough.
  const latin = terms.filter((t) => LATIN_OR_NUMBER.test(t));
  const candidates = terms.filter((t) => !LATIN_OR_NUMBER.test(t) || !latin.some((o) => o !== t && o.includes(t)));
  if (candidates.length < 3) return undefined;
  const byRarity = [...candidates].sort((a, b) => (frequencyOf.get(a) ?? 0) - (frequencyOf.get(b) ?? 0));
  const count = Math.min(rng.range(3, 6), candidates.length);
  const pool = byRarity.slice(0, Math.max(count, Math.ceil(candidates.length / 2)));
  const chosen: string[] = [];
  while (chosen.length < count) {
    const term = pool.splice(rng.int(pool.length), 1)[0];
    if (term !== undefined) chosen.push(term);
  }
  const text = normalize(paragraph);
  chosen.sort((a, b) => text.indexOf(a) - text.indexOf(b));
  let joined = '';
  for (const term of chosen) {
    const needsSpace = joined.length > 0 && LATIN_EDGE.test(joined[joined.length - 1] ?? '') && LATIN_EDGE.test(term[0] ?? '');
    joined += (needsSpace ? ' ' : '') + term;
  }
  return rng.pick(TEMPLATES)(joined);
}

/**
 * Chooses which paragraphs of a stream of `total` become questions: `count` positions drawn up front; a chosen
 * paragraph that cannot make a question passes its turn to the next one that can.
 */
export class QuestionPicker {
  private readonly positions: Set<number>;
  private pending = 0;
  readonly questions: BenchQuestion[] = [];

  constructor(
    total: number,
    readonly count: number,
    private readonly rng: Rng,
    private readonly frequencyOf: ReadonlyMap<string, number>,
  ) {
    this.positions = new Set<number>();
    const wanted = Math.min(count, Math.floor(total / 2));
    while (this.positions.size < wanted) this.positions.add(rng.int(total));
  }

  /** Offers the paragraph at `position`; `passageId` finds the id of its one passage when it is chosen. */
  offer(position: number, paragraph: string, passageId: () => number | undefined): void {
    if (this.positions.has(position)) this.pending++;
    if (this.pending === 0 || this.questions.length >= this.count) return;
    const question = questionFrom(paragraph, this.rng, this.frequencyOf);
    const id = question === undefined ? undefined : passageId();
    if (question === undefined || id === undefined) return;
    this.questions.push({ question, answer: paragraph, passageId: id });
    this.pending--;
  }
}
