import type { ArticleRecord, NewArticle } from './store.js';

/** An `articles` row as SQLite returns it (the columns every article read selects). */
export interface ArticleRow {
  id: number;
  title: string | null;
  source: string;
  reporter: string | null;
  url: string | null;
  published_at: string;
  published_day: string;
  ingested_at: string;
}

/** The row as the rest of newsdesk sees an article: the one place that maps columns to fields. */
export const toArticle = (row: ArticleRow): ArticleRecord => ({
  id: row.id,
  title: row.title,
  source: row.source,
  reporter: row.reporter,
  url: row.url,
  publishedAt: row.published_at,
  publishedDay: row.published_day,
  ingestedAt: row.ingested_at,
});

/** The article as stored from `a`: what an insert returns, without reading the row back. */
export const storedArticle = (a: NewArticle, id: number, publishedDay: string, ingestedAt: string): ArticleRecord => ({
  id,
  title: a.title ?? null,
  source: a.source,
  reporter: a.reporter ?? null,
  url: a.url ?? null,
  publishedAt: a.publishedAt,
  publishedDay,
  ingestedAt,
});
