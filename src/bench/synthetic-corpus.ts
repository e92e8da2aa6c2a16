import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCmrc } from '../eval/run-eval.js';
import type { NewArticle } from '../store/store.js';
import { AliasTable } from './alias-table.js';
import type { JiebaDictionary } from './jieba-dictionary.js';
import { Rng } from './rng.js';

/** News paragraphs: 40–400 characters, most around 120 (log-normal). */
export const MIN_PARAGRAPH_CHARS = 40;
export const MAX_PARAGRAPH_CHARS = 400;
const MEDIAN_PARAGRAPH_CHARS = 120;
const PARAGRAPH_LENGTH_SIGMA = 0.5;
export const MIN_ARTICLE_PARAGRAPHS = 3;
export const MAX_ARTICLE_PARAGRAPHS = 15;
/** Share of words that are a Latin name or a number instead of a dictionary word. */
const LATIN_OR_NUMBER_SHARE = 0.035;

export const OUTLETS = [
  '新华社', '人民日报', '本报', '三里河', '澎湃新闻', '财新', '第一财经', '21世纪经济报道', '经济观察报', '中国新闻网',
  '央视新闻', '光明日报', '北京日报', '南方都市报', '界面新闻', '证券时报', '科技日报', '环球时报', '新京报', '解放日报',
] as const;

const LATIN_NAMES = [
  'Tesla', 'Megapack', 'Model Y', 'BYD', 'iPhone', 'Apple', 'Huawei', 'Mate', 'Xiaomi', 'OpenAI', 'ChatGPT', 'NVIDIA', 'GPU',
  'AI', '5G', 'GDP', 'CPI', 'PMI', 'ETF', 'IPO', 'CEO', 'App', 'NBA', 'WTO', 'APEC', 'G20', 'SpaceX', 'Starlink', 'DeepSeek',
  'Qwen', 'Intel', 'AMD', 'Samsung', 'Sony', 'Toyota', 'BMW', 'Volkswagen', 'Airbus', 'Boeing', 'C919', 'COMAC', 'CATL',
  'LNG', 'PM2.5', 'ESG', 'IMF', 'WHO', 'UNESCO', 'TikTok', 'Temu', 'Alibaba', 'Tencent', 'Baidu', 'JD', 'Meituan', 'Xpeng',
  'Nio', 'Zeekr', 'Li Auto', 'Wi-Fi', 'USB-C', 'Windows', 'Android', 'HarmonyOS',
] as const;
const SYLLABLES = ['ka', 'ro', 'vin', 'tel', 'mar', 'sen', 'lo', 'dra', 'quin', 'bel', 'tor', 'nex', 'vi', 'sa', 'lum', 'gen', 'tra', 'ox', 'zen', 'pa', 'ri', 'do', 'mi', 'fa', 'lex', 'cor', 'ven', 'tis'] as const;

const DAY_MS = 86_400_000;

export interface CorpusOptions {
  dictionary: JiebaDictionary;
  seed: number;
  /** Exactly this many paragraphs are generated (real ones included). */
  paragraphs: number;
  /** Real paragraphs spread evenly through the stream, at most one in ten. */
  realParagraphs?: readonly string[];
  /** YYYY-MM-DD of the first day; articles spread over `days` days in order. */
  firstDay?: string;
  days?: number;
  /** Distinguishes dedupe keys of separate streams written to one store. */
  keyPrefix?: string;
  /** Separate streams from one seed (the bulk corpus, a later day) draw different words. */
  stream?: number;
}

const tables = new WeakMap<JiebaDictionary, AliasTable>();

function wordTable(dictionary: JiebaDictionary): AliasTable {
  let table = tables.get(dictionary);
  if (!table) {
    table = new AliasTable(dictionary.frequencies);
    tables.set(dictionary, table);
  }
  return table;
}

const LATIN_EDGE = /[A-Za-z0-9]/;

/** Writes news-like paragraphs: dictionary words drawn by frequency, clauses, quotes, names and numbers. */
export class ParagraphWriter {
  private readonly words: readonly string[];
  private readonly table: AliasTable;
  private readonly rng: Rng;
  private readonly outletTable = new AliasTable(OUTLETS.map((_, i) => 1 / (i + 1)));

  constructor(dictionary: JiebaDictionary, rng: Rng) {
    this.words = dictionary.words;
    this.table = wordTable(dictionary);
    this.rng = rng;
  }

  outlet(): string {
    return OUTLETS[this.outletTable.draw(this.rng)] ?? OUTLETS[0];
  }

  paragraph(): string {
    const rng = this.rng;
    const target = Math.min(
      MAX_PARAGRAPH_CHARS,
      Math.max(MIN_PARAGRAPH_CHARS, Math.round(Math.exp(Math.log(MEDIAN_PARAGRAPH_CHARS) + PARAGRAPH_LENGTH_SIGMA * rng.normal()))),
    );
    let text = '';
    let clauseChars = 0;
    let clauseTarget = rng.range(6, 28);
    let quoted = false;
    for (;;) {
      if (clauseChars === 0 && !quoted && rng.chance(0.06)) {
        text += '“';
        quoted = true;
      }
      const word = this.word();
      const glue = text.length > 0 && LATIN_EDGE.test(text[text.length - 1] ?? '') && LATIN_EDGE.test(word[0] ?? '') ? ' ' : '';
      // Room for the word, a closing quote and the full stop.
      if (text.length + glue.length + word.length + 2 > MAX_PARAGRAPH_CHARS) break;
      text += glue + word;
      clauseChars += word.length;
      if (text.length >= target) break;
      if (clauseChars >= clauseTarget) {
        if (quoted) {
          text += '”';
          quoted = false;
        }
        const r = rng.next();
        text += r < 0.25 ? '。' : r < 0.35 ? '、' : '，';
        clauseChars = 0;
        clauseTarget = rng.range(6, 28);
      }
    }
    if (quoted) text += '”';
    return text.replace(/[，、。]$/u, '') + '。';
  }

  private word(): string {
    const rng = this.rng;
    if (!rng.chance(LATIN_OR_NUMBER_SHARE)) return this.words[this.table.draw(rng)] ?? '的';
    const r = rng.next();
    if (r < 0.3) return rng.pick(LATIN_NAMES);
    if (r < 0.4) {
      const name = Array.from({ length: rng.range(2, 3) }, () => rng.pick(SYLLABLES)).join('');
      return name[0]!.toUpperCase() + name.slice(1);
    }
    return this.number();
  }

  private number(): string {
    const rng = this.rng;
    switch (rng.int(10)) {
      case 0: return `${rng.range(1990, 2025)}年`;
      case 1: return `${rng.range(1, 12)}月${rng.range(1, 28)}日`;
      case 2: return `${(rng.next() * 100).toFixed(rng.chance(0.5) ? 1 : 2)}亿元`;
      case 3: return `${rng.range(1, 200)}GWh`;
      case 4: return `${(rng.next() * 100).toFixed(1)}%`;
      case 5: return String(rng.range(10000, 99999));
      case 6: return `${rng.range(1, 999)}万辆`;
      case 7: return `${rng.range(1, 9999)}万元`;
      case 8: return `${rng.range(2, 50)}.${rng.range(10, 99)}万户`;
      default: return `${rng.range(2, 99)}个`;
    }
  }
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A short title: the first clause of the first paragraph. */
function titleOf(paragraph: string): string {
  const clause = paragraph.split(/[，。、“”]/u).find((c) => c.length > 0) ?? paragraph;
  return clause.slice(0, 24);
}

/**
 * Streams articles of 3–15 paragraphs, totalling exactly `paragraphs`, dated in order over the days,
 * from outlets drawn with a Zipf skew. The same options always give the same articles.
 */
export function* generateArticles(options: CorpusOptions): Generator<NewArticle> {
  const rng = Rng.derive(options.seed, options.stream ?? 1);
  const writer = new ParagraphWriter(options.dictionary, rng);
  const total = options.paragraphs;
  const days = options.days ?? 100;
  const firstDayMs = Date.parse(`${options.firstDay ?? '2025-01-01'}T00:00:00Z`);
  const prefix = options.keyPrefix ?? 'bench';
  const real = (options.realParagraphs ?? []).slice(0, Math.floor(total / 10));
  let nextReal = 0;
  const realAt = (k: number) => Math.floor(((k + 0.5) * total) / real.length);

  let produced = 0;
  let articleNumber = 0;
  while (produced < total) {
    const count = Math.min(total - produced, rng.range(MIN_ARTICLE_PARAGRAPHS, MAX_ARTICLE_PARAGRAPHS));
    const day = Math.min(days - 1, Math.floor((produced / total) * days));
    const paragraphs: string[] = [];
    for (let i = 0; i < count; i++) {
      if (nextReal < real.length && produced + i >= realAt(nextReal)) paragraphs.push(real[nextReal++]!);
      else paragraphs.push(writer.paragraph());
    }
    produced += count;
    articleNumber++;
    yield {
      dedupeKey: `${prefix}-${options.seed}-${articleNumber}`,
      title: titleOf(paragraphs[0] ?? ''),
      paragraphs,
      source: writer.outlet(),
      publishedAt: isoDay(firstDayMs + day * DAY_MS),
      origin: 'bench',
    };
  }
}

/** Groups a stream into batches, so a store transaction holds a few thousand paragraphs, never the corpus. */
export function* inBatches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Real news-shaped paragraphs to mix in: the bundled samples (one paragraph a line) and the CMRC 2018
 * contexts when the evaluation set is present; whatever is missing is skipped.
 */
export function readRealParagraphs(samplesDir: string, cmrcPath?: string): { paragraphs: string[]; sources: string[] } {
  const paragraphs: string[] = [];
  const sources: string[] = [];
  if (existsSync(samplesDir)) {
    const files = readdirSync(samplesDir).filter((f) => f.endsWith('.txt')).sort();
    for (const file of files) {
      const lines = readFileSync(join(samplesDir, file), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length >= 20);
      paragraphs.push(...lines);
      sources.push(`${file} (${lines.length})`);
    }
  }
  if (cmrcPath && existsSync(cmrcPath)) {
    try {
      const { articles } = readCmrc(cmrcPath);
      paragraphs.push(...articles.map((a) => a.text));
      sources.push(`cmrc2018-trial.json (${articles.length})`);
    } catch {
      sources.push('cmrc2018-trial.json (unreadable, skipped)');
    }
  }
  return { paragraphs, sources };
}
