import nodejieba from 'nodejieba';
import { normalize, normalizeWithOffsets } from './normalize.js';
import { FUNCTION_CHARACTERS } from './function-characters.js';
import { QUERY_STOPWORDS } from './stopwords.js';

export interface TokenSpan {
  term: string;
  /** Offsets into the text that was tokenised (the original, not the normalised form). */
  start: number;
  end: number;
}

// Latin words and numbers are kept whole: jieba 3.x would cut `tesla` into letters and `40gwh` into characters.
// A point or hyphen between letters or digits stays inside the run (8.0版, 100.86亿, wi-fi, covid-19, asp.net);
// so do the symbols that are part of a name, as Python jieba's own pattern keeps them (jieba issue #363): a
// leading point (.net) and a trailing ++ or # (c++, c#, f#), so that C# and C++ do not both become `c`.
const LATIN_OR_NUMBER =
  /(?:(?<![\p{Script=Latin}\p{Nd}])\.(?=\p{Script=Latin}))?[\p{Script=Latin}\p{Nd}]+(?:[.\-][\p{Script=Latin}\p{Nd}]+)*(?:\+\+|#)?/gu;
// A single letter before 股 names a class of shares (A股, B股, H股): one term, not the letter and 股.
const SHARE_CLASS = /^\p{Script=Latin}股/u;
// A token is worth indexing only if it holds a letter or a digit (drops punctuation, spaces, emoji).
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;
// Parts of a mixed run such as 40gwh or covid-19, so that `gwh`, `covid` and `19` are findable by themselves.
const LETTERS_OR_DIGITS = /\p{Script=Latin}+|\p{Nd}+(?:\.\p{Nd}+)*/gu;

type Emit = (term: string, start: number, end: number) => void;

/** Segments an already-normalised string; offsets are into that string. */
function segmentNormalized(text: string, emit: Emit): void {
  let cursor = 0;
  const cutChinese = (from: number, to: number) => {
    if (to <= from) return;
    const chunk = text.slice(from, to);
    if (!HAS_WORD_CHAR.test(chunk)) return;
    // HMM off: with it on, unknown names split differently in a question and in its passage (measured −3 on CMRC).
    let offset = from;
    for (const word of nodejieba.cut(chunk, false)) {
      const end = offset + word.length;
      if (HAS_WORD_CHAR.test(word)) emit(word, offset, end);
      offset = end;
    }
  };
  for (const match of text.matchAll(LATIN_OR_NUMBER)) {
    const start = match.index ?? 0;
    let run = match[0];
    cutChinese(cursor, start);
    if (run.length === 1 && SHARE_CLASS.test(text.slice(start, start + 2))) run = text.slice(start, start + 2);
    emit(run, start, start + run.length);
    const parts = run.match(LETTERS_OR_DIGITS);
    if (parts && parts.length > 1) {
      let from = start;
      for (const part of parts) {
        const at = text.indexOf(part, from);
        emit(part, at, at + part.length);
        from = at + part.length;
      }
    }
    cursor = start + run.length;
  }
  cutChinese(cursor, text.length);
}

/**
 * Loads jieba's dictionaries now instead of inside the first question. nodejieba reads them on its first `cut`,
 * synchronously on the calling thread: about 1.2 s on an idle 2-core machine, several seconds on a busy one, during
 * which a bot acknowledges no interaction (Discord drops one not acknowledged within 3 s). A saved index needs no
 * tokenizer to load, so without this the first `/ask` after every start paid for it. Cheap after the first call.
 */
export function loadTokenizer(): void {
  nodejieba.cut('词典', false);
}

/** The terms of a text, as indexed. Used for both documents and (through {@link queryTerms}) questions. */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  segmentNormalized(normalize(text), (term) => terms.push(term));
  return terms;
}

/** Terms with their positions in the original text, for highlighting. Same terms as {@link tokenize}. */
export function tokenizeWithSpans(original: string): TokenSpan[] {
  const { text, offsets } = normalizeWithOffsets(original);
  const spans: TokenSpan[] = [];
  segmentNormalized(text, (term, start, end) => {
    spans.push({ term, start: offsets[start] ?? 0, end: offsets[end] ?? original.length });
  });
  return spans;
}

const SINGLE_HAN = /^\p{Script=Han}$/u;
/**
 * Only runs of at least this many single characters get bigrams: two in a row are mostly two words jieba knows
 * (a run of 2 measured +47 % index memory per passage at 200,000 paragraphs; names are mostly three characters).
 */
const MIN_RUN = 3;

/**
 * Character bigrams of the runs jieba leaves as single Han characters (names and new words it does not know:
 * 白岳峰 → 白/岳/峰 → 白岳, 岳峰), so such a name matches itself whichever way jieba cut it in question and
 * passage. A run breaks at a query stopword (的, 是, 在 …) and at a function word (才, 一, 他, 很 …: see
 * function-characters.ts), in the index and in questions alike, so 峰的 is never a term and a string of function
 * words (才/一/高/走) is not taken for a name. Only these runs get bigrams, which keeps the index small.
 */
function singleRunBigrams(text: string, emitBigram: (term: string, start: number, end: number) => void): { emit: Emit; end: () => void } {
  // Start and end of the current run of single characters; -1 outside a run.
  let runStart = -1;
  let runEnd = -1;
  const flush = () => {
    if (runEnd - runStart >= MIN_RUN) for (let k = runStart; k + 2 <= runEnd; k++) emitBigram(text.slice(k, k + 2), k, k + 2);
    runStart = runEnd = -1;
  };
  const emit: Emit = (term, start, end) => {
    if (SINGLE_HAN.test(term) && !QUERY_STOPWORDS.has(term) && !FUNCTION_CHARACTERS.has(term)) {
      if (start !== runEnd) {
        flush();
        runStart = start;
      }
      runEnd = end;
    } else flush();
  };
  return { emit, end: flush };
}

/**
 * The terms a passage is indexed under: {@link tokenize}'s words, then the bigrams of its single-character runs
 * (see `singleRunBigrams`). Questions get the same through {@link queryTerms}.
 */
export function indexTerms(text: string): string[] {
  const terms: string[] = [];
  const bigrams: string[] = [];
  const normalized = normalize(text);
  const runs = singleRunBigrams(normalized, (b) => bigrams.push(b));
  segmentNormalized(normalized, (term, start, end) => {
    terms.push(term);
    runs.emit(term, start, end);
  });
  runs.end();
  return bigrams.length > 0 ? terms.concat(bigrams) : terms;
}

export interface QueryTerms {
  /** Distinct terms to search for, in the order they appear. */
  terms: string[];
  /** Words that were dropped because they only say how the question is asked. */
  ignored: string[];
}

/** Tokenises a question with the index's tokenizer ({@link indexTerms}), then drops query-only stopwords. */
export function queryTerms(question: string): QueryTerms {
  const terms: string[] = [];
  const ignored: string[] = [];
  for (const term of indexTerms(question)) {
    const bucket = QUERY_STOPWORDS.has(term) ? ignored : terms;
    if (!bucket.includes(term)) bucket.push(term);
  }
  return { terms, ignored };
}
