import { plainList, quotedList, translator, type Locale } from '../i18n/i18n.js';
import { normalize } from '../text/normalize.js';
import { queryTerms, tokenizeWithSpans } from '../text/tokenize.js';
import type { NewsStore } from '../store/news-store.js';
import type { ArticleFacts, ArticleRecord, PassageRecord } from '../store/store.js';
import { highlightSpans, type Span } from './highlight.js';
import { DEFAULT_TIME_ZONE, readTimeWords, type TimeWords } from './time-words.js';
import type { PassageIndex } from './passage-index.js';
import { mayRecenter, recenterPassage } from './recenter.js';
import { RANKING_WEIGHTS, questionBigrams, rerankAndCollapse, type RankedHit, type RankingWeights } from './rerank.js';

/** Longer questions are refused rather than cut: a paragraph pasted as a question matches everything weakly. */
export const MAX_QUESTION_CHARS = 500;

export interface AnswerPassage {
  /**
   * The passage as stored, with no marks; or, when the question's terms meet at the edge of a window of a long
   * paragraph, at most 500 characters of that paragraph around them (whole sentences: see recenter.ts).
   */
  text: string;
  title: string | null;
  source: string;
  url: string | null;
  /** ISO instant in UTC (older articles: a bare YYYY-MM-DD). */
  publishedAt: string;
  /** YYYY-MM-DD, the article's local day: what answers show. */
  publishedDay: string;
  score: number;
  articleId: number;
  /** The stored passage shown, or the one `text` was widened from. */
  passageId: number;
  /** Matched terms as [start, end) offsets into `text`. */
  highlights: Span[];
}

export interface AskFilters {
  source?: string;
  /** YYYY-MM-DD, inclusive, compared with each article's local day. */
  since?: string;
  /** YYYY-MM-DD, inclusive, compared with each article's local day. */
  until?: string;
  /** Only this article (a headline chosen from /ask's suggestions). */
  articleId?: number;
}

export interface AskOptions extends AskFilters {
  top?: number;
  offset?: number;
  /** The language of `message` (default English); passages are never translated. */
  locale?: Locale;
  /** Other rerank weights than {@link RANKING_WEIGHTS}; for measuring them (`npm run eval`), not for users. */
  weights?: Partial<RankingWeights>;
}

export type AskOutcome =
  | { kind: 'hits'; question: string; terms: string[]; ignored: string[]; passages: AnswerPassage[]; offset: number; hasMore: boolean; totalArticles: number }
  | { kind: 'no-match'; question: string; terms: string[]; ignored: string[]; message: string; sources: string[] }
  | { kind: 'empty-query'; question: string; ignored: string[]; message: string }
  | { kind: 'too-long'; question: string; length: number; limit: number; message: string };

export interface AskContext {
  store: NewsStore;
  index: PassageIndex;
  /** articleId → facts used by filters; kept in memory beside the index (read when first needed). */
  articleFacts: Pick<ReadonlyMap<number, ArticleFacts>, 'get'>;
  /** The clock that 昨天, 本月 … are read against; the system clock by default. */
  now?: () => Date;
  /** IANA zone in which "today" is read (config NEWSDESK_TIMEZONE); {@link DEFAULT_TIME_ZONE} by default. */
  timeZone?: string;
}

export async function ask(ctx: AskContext, question: string, options: AskOptions = {}): Promise<AskOutcome> {
  const t = translator(options.locale);
  const trimmed = question.trim();
  const length = [...trimmed].length;
  if (length > MAX_QUESTION_CHARS) {
    return { kind: 'too-long', question: trimmed, length, limit: MAX_QUESTION_CHARS, message: t('ask.tooLong', { length, limit: MAX_QUESTION_CHARS }) };
  }
  // Time words (昨天, 上周, 2024年 …): relative ones leave the search terms and put that period's articles
  // first; absolute dates stay in the terms and prefer that period's articles mildly (see time-words.ts).
  const { question: searchable, times } = readTimeWords(trimmed, (ctx.now ?? (() => new Date()))(), ctx.timeZone ?? DEFAULT_TIME_ZONE);
  const relative = times.filter((t) => t.kind === 'relative');
  const absolute = times.filter((t) => t.kind === 'absolute');
  const { terms, ignored } = queryTerms(searchable);
  ignored.push(...relative.map((t) => t.text));
  if (terms.length === 0) {
    const message = ignored.length > 0 ? t('ask.onlyQuestionWords', { words: quotedList(t, asTyped(trimmed, ignored)), count: ignored.length }) : t('ask.noWords');
    return { kind: 'empty-query', question: trimmed, ignored, message };
  }

  const noMatch = async (message: (sources: string[]) => string): Promise<AskOutcome> => {
    const sources = await ctx.store.sourceNames();
    return { kind: 'no-match', question: trimmed, terms, ignored, sources, message: message(sources) };
  };
  const filter = await makeFilter(ctx, options);
  if (filter === 'unknown-source') {
    return noMatch((sources) => t('ask.unknownSource', { source: options.source, sources: plainList(t, sources) || t('common.noneYet') }));
  }
  const offset = Math.max(0, options.offset ?? 0);
  const top = Math.max(1, options.top ?? 3);
  // Enough passages to fill the page after several hits per article collapse into one.
  const depth = Math.max(300, (offset + top) * 30);
  const searched = termsWithinBudget(terms, (t) => ctx.index.documentFrequency(t));
  const ranked = await rerankAndCollapse(
    ctx.index.search(searched, { ...(filter ? { filter } : {}), limit: depth }),
    { terms, searchedCount: searched.length, bigrams: questionBigrams(searchable), text: normalize(searchable) },
    {
      passageTexts: async (ids) => {
        const texts = new Map<number, string>();
        for (const [id, p] of await ctx.store.getPassages(ids)) texts.set(id, p.text);
        return texts;
      },
      leads: (articleIds) => ctx.store.leadPassages(articleIds),
      headlines: async (articleIds) => new Map([...(await ctx.store.getArticles(articleIds))].map(([id, a]) => [id, a.title])),
      // The local day: ISO days compare as strings, so the newer article still comes first on equal scores.
      publishedAt: (articleId) => ctx.articleFacts.get(articleId)?.publishedDay,
      period: (articleId) => {
        const day = ctx.articleFacts.get(articleId)?.publishedDay;
        if (day === undefined) return undefined;
        const within = (t: TimeWords) => t.since <= day && day <= t.until;
        return relative.some(within) ? 'relative' : absolute.some(within) ? 'absolute' : undefined;
      },
    },
    options.weights ? { ...RANKING_WEIGHTS, ...options.weights } : RANKING_WEIGHTS,
  );
  const page = ranked.slice(offset, offset + top);
  if (page.length === 0) {
    const filtered = options.source || options.since || options.until || options.articleId !== undefined;
    return noMatch((sources) => {
      if (offset > 0 && ranked.length > 0) return t('ask.noMore');
      const words = { terms: quotedList(t, asTyped(trimmed, terms)), sources: plainList(t, sources) };
      if (sources.length === 0) return t('ask.noPassageEmptyIndex', words);
      return t(filtered ? 'ask.noPassageFiltered' : 'ask.noPassage', words);
    });
  }
  const [passages, articles] = await Promise.all([ctx.store.getPassages(page.map((h) => h.passageId)), ctx.store.getArticles(page.map((h) => h.articleId))]);
  const shown = await recentered(ctx.store, page, passages, articles, terms);
  return {
    kind: 'hits',
    question: trimmed,
    terms,
    ignored,
    offset,
    hasMore: ranked.length > offset + page.length,
    totalArticles: ranked.length,
    passages: page.flatMap((hit) => {
      const passage = passages.get(hit.passageId);
      const article = articles.get(hit.articleId);
      if (!passage || !article) return [];
      return [
        {
          text: shown.get(passage.id) ?? passage.text,
          title: article.title,
          source: article.source,
          url: article.url,
          publishedAt: article.publishedAt,
          publishedDay: article.publishedDay,
          score: Number(hit.rank.toFixed(4)),
          articleId: article.id,
          passageId: passage.id,
          highlights: highlightSpans(shown.get(passage.id) ?? passage.text, terms),
        },
      ];
    }),
  };
}

/**
 * passageId → the text to show instead of the stored passage (see {@link recenterPassage}), for the page's passages
 * whose question terms meet at their edge. Reads the paragraphs of those articles only, in one call.
 */
async function recentered(store: NewsStore, page: readonly RankedHit[], passages: ReadonlyMap<number, PassageRecord>, articles: ReadonlyMap<number, ArticleRecord>, terms: readonly string[]): Promise<Map<number, string>> {
  const shown = new Map<number, string>();
  // What is asked about the subject: the question's terms its article's headline does not hold (as in the rerank).
  const asked = (articleId: number) => {
    const headline = normalize(articles.get(articleId)?.title ?? '');
    return terms.filter((t) => !headline.includes(t));
  };
  const candidates = page.filter((h) => {
    const passage = passages.get(h.passageId);
    return passage !== undefined && mayRecenter(passage.text, asked(h.articleId));
  });
  if (candidates.length === 0) return shown;
  const paragraphs = await store.paragraphsOf([...new Set(candidates.map((h) => h.articleId))]);
  for (const hit of candidates) {
    const passage = passages.get(hit.passageId)!.text;
    const paragraph = paragraphs.get(hit.articleId)?.find((p) => p.length > passage.length && p.includes(passage));
    const text = paragraph === undefined ? undefined : recenterPassage(paragraph, passage, asked(hit.articleId));
    if (text !== undefined) shown.set(hit.passageId, text);
  }
  return shown;
}

/** Terms as the member typed them (時間 stays traditional, ＡＩ full-width) for messages that quote them back. */
function asTyped(question: string, terms: readonly string[]): string[] {
  const typed = new Map<string, string>();
  for (const span of tokenizeWithSpans(question)) if (!typed.has(span.term)) typed.set(span.term, question.slice(span.start, span.end));
  return terms.map((term) => typed.get(term) ?? term);
}

/**
 * Scoring cost grows with the postings of every term searched. Past this many, the most common terms are
 * left out (their BM25 weight is small, and the bigram rerank still sees them), keeping at least the rarest
 * term: a question about 上海 in a million paragraphs stays fast, and a small index is never affected.
 */
export const POSTINGS_BUDGET = 60_000;

export function termsWithinBudget(terms: readonly string[], df: (term: string) => number): string[] {
  const counted = terms.map((term) => ({ term, df: df(term) }));
  let total = counted.reduce((n, t) => n + t.df, 0);
  const dropped = new Set<string>();
  for (const t of [...counted].sort((a, b) => b.df - a.df)) {
    if (total <= POSTINGS_BUDGET || dropped.size >= counted.length - 1) break;
    dropped.add(t.term);
    total -= t.df;
  }
  return terms.filter((t) => !dropped.has(t));
}

async function makeFilter(ctx: AskContext, f: AskFilters): Promise<((articleId: number) => boolean) | undefined | 'unknown-source'> {
  let source: string | undefined;
  if (f.source) {
    source = await ctx.store.findSource(f.source);
    if (!source) return 'unknown-source';
  }
  if (!source && !f.since && !f.until && f.articleId === undefined) return undefined;
  const { since, until } = f;
  return (articleId) => {
    if (f.articleId !== undefined && articleId !== f.articleId) return false;
    const facts = ctx.articleFacts.get(articleId);
    if (!facts) return false;
    if (source && facts.source !== source) return false;
    const day = facts.publishedDay;
    if (since && day < since) return false;
    if (until && day > until) return false;
    return true;
  };
}
