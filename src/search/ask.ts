import { queryTerms } from '../text/tokenize.js';
import type { ArticleFacts, Store } from '../store/store.js';
import { highlightSpans, type Span } from './highlight.js';
import type { PassageIndex } from './passage-index.js';
import { questionBigrams, rerankAndCollapse } from './rerank.js';

/** Longer questions are refused rather than cut: a paragraph pasted as a question matches everything weakly. */
export const MAX_QUESTION_CHARS = 500;

export interface AnswerPassage {
  /** The passage exactly as stored, with no marks. */
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
}

export interface AskOptions extends AskFilters {
  top?: number;
  offset?: number;
}

export type AskOutcome =
  | { kind: 'hits'; question: string; terms: string[]; ignored: string[]; passages: AnswerPassage[]; offset: number; hasMore: boolean; totalArticles: number }
  | { kind: 'no-match'; question: string; terms: string[]; ignored: string[]; message: string; sources: string[] }
  | { kind: 'empty-query'; question: string; ignored: string[]; message: string }
  | { kind: 'too-long'; question: string; length: number; limit: number; message: string };

export interface AskContext {
  store: Store;
  index: PassageIndex;
  /** articleId → facts used by filters; kept in memory beside the index (read when first needed). */
  articleFacts: Pick<ReadonlyMap<number, ArticleFacts>, 'get'>;
}

export function ask(ctx: AskContext, question: string, options: AskOptions = {}): AskOutcome {
  const trimmed = question.trim();
  const length = [...trimmed].length;
  if (length > MAX_QUESTION_CHARS) {
    return {
      kind: 'too-long',
      question: trimmed,
      length,
      limit: MAX_QUESTION_CHARS,
      message: `Your question is ${length} characters long; the limit is ${MAX_QUESTION_CHARS}. Ask about one thing in a sentence or two.`,
    };
  }
  const { terms, ignored } = queryTerms(trimmed);
  if (terms.length === 0) {
    const message =
      ignored.length > 0
        ? `Nothing to search for: ${ignored.map((w) => `"${w}"`).join(', ')} only say${ignored.length === 1 ? 's' : ''} how the question is asked. Add what it is about, e.g. a name, a place or a topic.`
        : 'Nothing to search for: the question has no words or numbers in it. Ask about a name, a place or a topic.';
    return { kind: 'empty-query', question: trimmed, ignored, message };
  }

  const noMatch = (message: (sources: string[]) => string): AskOutcome => {
    const sources = ctx.store.sourceNames();
    return { kind: 'no-match', question: trimmed, terms, ignored, sources, message: message(sources) };
  };
  const filter = makeFilter(ctx, options);
  if (filter === 'unknown-source') {
    return noMatch((sources) => `No outlet called "${options.source}" is indexed. Indexed outlets: ${sources.join(', ') || 'none yet'}.`);
  }
  const offset = Math.max(0, options.offset ?? 0);
  const top = Math.max(1, options.top ?? 3);
  // Enough passages to fill the page after several hits per article collapse into one.
  const depth = Math.max(300, (offset + top) * 30);
  const searched = termsWithinBudget(terms, (t) => ctx.index.documentFrequency(t));
  const ranked = rerankAndCollapse(ctx.index.search(searched, { ...(filter ? { filter } : {}), limit: depth }), searched.length, questionBigrams(trimmed), (ids) => {
    const texts = new Map<number, string>();
    for (const [id, p] of ctx.store.getPassages(ids)) texts.set(id, p.text);
    return texts;
  });
  const page = ranked.slice(offset, offset + top);
  if (page.length === 0) {
    const filtered = options.source || options.since || options.until;
    return noMatch((sources) =>
      offset > 0 && ranked.length > 0
        ? 'No more passages for this question.'
        : `No passage mentions ${terms.map((t) => `"${t}"`).join(', ')}${filtered ? ' with these filters' : ''}. Try other words${sources.length ? `; indexed outlets: ${sources.join(', ')}` : '; the index is empty: ingest some news first'}.`,
    );
  }
  const passages = ctx.store.getPassages(page.map((h) => h.passageId));
  const articles = ctx.store.getArticles(page.map((h) => h.articleId));
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
          text: passage.text,
          title: article.title,
          source: article.source,
          url: article.url,
          publishedAt: article.publishedAt,
          publishedDay: article.publishedDay,
          score: Number(hit.rank.toFixed(4)),
          articleId: article.id,
          passageId: passage.id,
          highlights: highlightSpans(passage.text, terms),
        },
      ];
    }),
  };
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

function makeFilter(ctx: AskContext, f: AskFilters): ((articleId: number) => boolean) | undefined | 'unknown-source' {
  let source: string | undefined;
  if (f.source) {
    source = ctx.store.findSource(f.source);
    if (!source) return 'unknown-source';
  }
  if (!source && !f.since && !f.until) return undefined;
  const { since, until } = f;
  return (articleId) => {
    const facts = ctx.articleFacts.get(articleId);
    if (!facts) return false;
    if (source && facts.source !== source) return false;
    const day = facts.publishedDay;
    if (since && day < since) return false;
    if (until && day > until) return false;
    return true;
  };
}
