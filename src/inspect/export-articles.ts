import { DateTime } from 'luxon';
import type { Store } from '../store/store.js';

/**
 * One exported article, in the record shape `ingest` reads from `.jsonl` (`{id?, title?, text, source?, url?,
 * publishedAt?}`; `reporter` is extra and ignored by ingest). `text` is the paragraphs joined by newlines, which
 * ingest splits again, so export → ingest gives the same articles (and the same dedupe keys).
 */
export interface ExportedArticle {
  id: number;
  title?: string;
  text: string;
  source: string;
  url?: string;
  publishedAt: string;
  reporter?: string;
}

/**
 * The stored instant as local time with its offset where the outlets are (`2025-02-14T00:00:00.000+08:00`): ingest
 * reads back the same instant and, from the offset, the same local day. A bare day (older rows) stays a day.
 */
function exportedDate(publishedAt: string, zone: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(publishedAt)) return publishedAt;
  const local = DateTime.fromISO(publishedAt, { zone: 'utc' }).setZone(zone);
  return local.isValid ? local.toISO()! : publishedAt;
}

/** Every stored article (or one outlet's), oldest first, read one at a time so a large store is never held in memory. */
export function* exportArticles(store: Store, filter: { source?: string; since?: string; until?: string } = {}): Generator<ExportedArticle> {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.source !== undefined) (where.push('source = ?'), params.push(filter.source));
  if (filter.since) (where.push('published_day >= ?'), params.push(filter.since));
  if (filter.until) (where.push('published_day <= ?'), params.push(filter.until));
  const rows = store.db
    .prepare(`SELECT id, title, source, reporter, url, published_at FROM articles ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`)
    .all(...params) as Array<{ id: number; title: string | null; source: string; reporter: string | null; url: string | null; published_at: string }>;
  for (const row of rows) {
    const out: ExportedArticle = { id: row.id, text: store.articleParagraphs(row.id).join('\n'), source: row.source, publishedAt: exportedDate(row.published_at, store.zone) };
    if (row.title) out.title = row.title;
    if (row.url) out.url = row.url;
    if (row.reporter) out.reporter = row.reporter;
    yield out;
  }
}
