import type { NewsStore } from '../store/news-store.js';
import type { ArticleRecord } from '../store/store.js';
import { tokenize } from '../text/tokenize.js';
import { normalize } from '../text/normalize.js';
import { localDayOf } from '../text/publication-date.js';
import { clusterStories } from './cluster.js';
import { matchesKeywords } from './keywords.js';
import { summarize } from './summarize.js';

export interface DigestSource {
  source: string;
  title: string | null;
  url: string | null;
  publishedAt: string;
  /** YYYY-MM-DD local day: what is shown. */
  publishedDay: string;
}

export interface DigestItem {
  headline: string;
  summary: string;
  /** One entry per outlet that told the story (its first article). */
  sources: DigestSource[];
}

export interface Digest {
  /** What was looked at: articles ingested in (since, until]. */
  since: string;
  until: string;
  items: DigestItem[];
  /** Stories found before `max` cut the list. */
  stories: number;
  articles: number;
}

export interface DigestOptions {
  since: Date;
  until: Date;
  keywords?: readonly string[];
  max?: number;
  /** Articles published this many days before `since` still count (a late ingest of yesterday's paper). */
  publishedGraceDays?: number;
  /** Zone of the local days compared with the grace window (the subscription's, else NEWSDESK_TIMEZONE). */
  zone?: string;
}

export const DEFAULT_MAX_ITEMS = 8;
const DAY = 86_400_000;

interface Candidate extends ArticleRecord {
  text: string;
  paragraphs: string[];
}

/**
 * The digest of what is new: articles ingested since the previous digest (and not published long before
 * it), filtered by keywords, grouped into stories told by one or more outlets, each with a headline, a
 * short extractive summary and its sources. Stories told by more outlets come first, then newer ones.
 */
export async function buildDigest(store: NewsStore, options: DigestOptions): Promise<Digest> {
  const since = options.since.toISOString();
  const until = options.until.toISOString();
  const publishedFrom = localDayOf(new Date(options.since.getTime() - (options.publishedGraceDays ?? 2) * DAY), options.zone ?? store.zone);
  const candidates: Candidate[] = [];
  const articles = await store.articlesIngestedBetween(since, until, publishedFrom);
  // One read for every candidate's paragraphs, not one per article.
  const paragraphsOf = await store.paragraphsOf(articles.map((a) => a.id));
  for (const article of articles) {
    const paragraphs = paragraphsOf.get(article.id) ?? [];
    const text = paragraphs.join('\n');
    const searchable = `${article.title ?? ''}\n${text}`;
    if (options.keywords && options.keywords.length > 0 && !matchesKeywords(options.keywords, searchable, new Set(tokenize(searchable)))) continue;
    candidates.push({ ...article, text, paragraphs });
  }
  const stories = clusterStories(candidates).map((story) => {
    const outlets = new Map<string, Candidate>();
    for (const a of [...story.articles].sort((x, y) => x.publishedAt.localeCompare(y.publishedAt))) if (!outlets.has(a.source)) outlets.set(a.source, a);
    const lead = representative(story.articles, story.keywords);
    const newest = story.articles.reduce((m, a) => (a.publishedAt > m ? a.publishedAt : m), '');
    const item: DigestItem = {
      headline: lead.title ?? firstWords(lead.paragraphs),
      summary: summarize(lead.paragraphs, story.keywords),
      sources: [...outlets.values()].map((a) => ({ source: a.source, title: a.title, url: a.url, publishedAt: a.publishedAt, publishedDay: a.publishedDay })),
    };
    return { item, outlets: outlets.size, newest };
  });
  stories.sort((a, b) => b.outlets - a.outlets || b.newest.localeCompare(a.newest));
  return {
    since,
    until,
    items: stories.slice(0, options.max ?? DEFAULT_MAX_ITEMS).map((s) => s.item),
    stories: stories.length,
    articles: candidates.length,
  };
}

/** The article whose headline says most about the story; a fuller article wins a tie. */
function representative(articles: readonly Candidate[], keywords: ReadonlyArray<{ word: string; weight: number }>): Candidate {
  const top = keywords.slice(0, 10);
  const score = (a: Candidate) => {
    const title = normalize(a.title ?? '');
    return top.reduce((s, k) => s + (title.includes(k.word) ? k.weight : 0), 0);
  };
  return [...articles].sort((a, b) => score(b) - score(a) || b.paragraphs.length - a.paragraphs.length)[0]!;
}

function firstWords(paragraphs: readonly string[]): string {
  const first = paragraphs[0] ?? '';
  return first.length <= 40 ? first : `${first.slice(0, 39)}…`;
}
