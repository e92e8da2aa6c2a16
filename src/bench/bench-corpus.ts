import nodejieba from 'nodejieba';
import { SAMPLES_DIR } from '../newsdesk.js';
import type { NewArticle, PassageRecord, Store } from '../store/store.js';
import { normalize } from '../text/normalize.js';
import { tokenize } from '../text/tokenize.js';
import type { JiebaDictionary } from './jieba-dictionary.js';
import { Stopwatch, perSecond } from './measure.js';
import { QuestionPicker, type BenchQuestion } from './questions.js';
import type { CorpusFigures, SegmentationFigures } from './report.js';
import { Rng } from './rng.js';
import { generateArticles, inBatches, readRealParagraphs } from './synthetic-corpus.js';

export const FIRST_DAY = '2025-01-01';
export const DAYS = 100;
const DAY_MS = 86_400_000;
const ARTICLES_PER_TRANSACTION = 500;

export interface BulkCorpus {
  corpus: CorpusFigures;
  questions: BenchQuestion[];
  /** Passages up to this id are the bulk corpus; later ones are the day's. */
  lastBulkPassageId: number;
  storeInsertMs: number;
}

export interface CorpusSpec {
  dictionary: JiebaDictionary;
  paragraphs: number;
  questions: number;
  seed: number;
  cmrcPath: string;
}

/**
 * Generates the bulk corpus in batches straight into the store (one transaction per batch, so memory holds a
 * batch, never the corpus), choosing the held-out question paragraphs on the way.
 */
export function storeBulkCorpus(spec: CorpusSpec, store: Store, progress: (message: string) => void): BulkCorpus {
  const real = readRealParagraphs(SAMPLES_DIR, spec.cmrcPath);
  progress(`generating ${spec.paragraphs.toLocaleString('en-US')} paragraphs into the store (real paragraphs: ${real.sources.join(', ') || 'none found'})`);
  const picker = new QuestionPicker(spec.paragraphs, spec.questions, Rng.derive(spec.seed, 2), spec.dictionary.frequencyOf);
  const generate = new Stopwatch();
  const insert = new Stopwatch();
  const ingestedAt = new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + DAYS * DAY_MS).toISOString();
  const articles = generateArticles({ dictionary: spec.dictionary, seed: spec.seed, paragraphs: spec.paragraphs, realParagraphs: real.paragraphs, firstDay: FIRST_DAY, days: DAYS });
  const realSet = new Set(real.paragraphs);
  let position = 0;
  let articleCount = 0;
  let passageCount = 0;
  let characters = 0;
  let realCount = 0;
  let nextProgress = 100_000;
  for (;;) {
    const batch: NewArticle[] = generate.run(() => take(articles, ARTICLES_PER_TRANSACTION));
    if (batch.length === 0) break;
    const result = insert.run(() => store.insertArticles(batch, ingestedAt));
    if (result.duplicates > 0 || result.added.length !== batch.length) throw new Error('generated articles collided on their dedupe keys');
    result.added.forEach(({ passages }, i) => {
      for (const text of batch[i]?.paragraphs ?? []) {
        characters += text.length;
        if (realSet.has(text)) realCount++;
        picker.offer(position++, text, () => passages.find((p) => p.text === text)?.id);
      }
      passageCount += passages.length;
    });
    articleCount += batch.length;
    if (position >= nextProgress) {
      progress(`  ${position.toLocaleString('en-US')} paragraphs stored`);
      nextProgress += 100_000;
    }
  }
  return {
    corpus: {
      paragraphs: position,
      realParagraphs: realCount,
      realSources: real.sources,
      articles: articleCount,
      passages: passageCount,
      characters,
      tokens: 0,
      distinctTerms: 0,
      questions: picker.questions.length,
      dictionaryWords: spec.dictionary.words.length,
      generateMs: generate.ms,
    },
    questions: picker.questions,
    lastBulkPassageId: store.maxPassageId(),
    storeInsertMs: insert.ms,
  };
}

function take<T>(iterator: Iterator<T>, n: number): T[] {
  const items: T[] = [];
  while (items.length < n) {
    const next = iterator.next();
    if (next.done) break;
    items.push(next.value);
  }
  return items;
}

/** The floor under any index build: segmenting the same text, by nodejieba alone and by our tokenizer. */
export function measureSegmentation(store: Store): { figures: SegmentationFigures; tokens: number; distinctTerms: number } {
  // The first call loads jieba's dictionary (about a second): not part of the throughput.
  tokenize('预热 warm-up 2025年');
  nodejieba.cut('预热', false);
  const cut = new Stopwatch();
  const norm = new Stopwatch();
  const tok = new Stopwatch();
  const terms = new Set<string>();
  let tokens = 0;
  let characters = 0;
  for (const batch of inBatches(store.iteratePassages(), 5000)) {
    const texts = batch.map((p) => p.text);
    for (const t of texts) characters += t.length;
    cut.run(() => {
      for (const t of texts) nodejieba.cut(t, false);
    });
    norm.run(() => {
      for (const t of texts) normalize(t);
    });
    const out = tok.run(() => texts.map((t) => tokenize(t)));
    for (const list of out) {
      tokens += list.length;
      for (const term of list) terms.add(term);
    }
  }
  return {
    figures: {
      characters,
      jiebaCutMs: cut.ms,
      jiebaCutCharsPerSec: perSecond(characters, cut.ms),
      normalizeMs: norm.ms,
      tokenizeMs: tok.ms,
      tokenizeCharsPerSec: perSecond(characters, tok.ms),
    },
    tokens,
    distinctTerms: terms.size,
  };
}

export interface DayFigures {
  paragraphs: number;
  passages: number;
  addMs: number;
  insertMs: number;
}

/**
 * A day of news (dated the day after the bulk corpus): stored, and each stored batch added to the index,
 * the two timed apart. The same seed always gives the same day.
 */
export function addDay(
  spec: { dictionary: JiebaDictionary; seed: number; paragraphs: number; stream?: number; keyPrefix?: string; dayOffset?: number },
  store: Store,
  add: (passages: PassageRecord[]) => void,
): DayFigures {
  const day = new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + (DAYS + (spec.dayOffset ?? 0)) * DAY_MS).toISOString().slice(0, 10);
  const articles = generateArticles({ dictionary: spec.dictionary, seed: spec.seed, stream: spec.stream ?? 3, paragraphs: spec.paragraphs, firstDay: day, days: 1, keyPrefix: spec.keyPrefix ?? 'day' });
  const insertWatch = new Stopwatch();
  const addWatch = new Stopwatch();
  let paragraphs = 0;
  let passages = 0;
  for (const batch of inBatches(articles, 200)) {
    paragraphs += batch.reduce((n, a) => n + a.paragraphs.length, 0);
    const stored = insertWatch.run(() => store.insertArticles(batch, `${day}T12:00:00.000Z`).added.flatMap((a) => a.passages));
    passages += stored.length;
    addWatch.run(() => add(stored));
  }
  return { paragraphs, passages, addMs: addWatch.ms, insertMs: insertWatch.ms };
}
