import { DateTime } from 'luxon';
import type { NewsStore } from '../store/news-store.js';

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

/** Articles read from the store at a time: a page and its paragraphs, so a large store is never held in memory. */
const EXPORT_PAGE = 500;

/** Every stored article (or one outlet's), oldest first, read a page at a time so a large store is never held in memory. */
export async function* exportArticles(store: NewsStore, filter: { source?: string; since?: string; until?: string } = {}): AsyncGenerator<ExportedArticle> {
  for (let after = 0; ; ) {
    const rows = await store.articlesAfter(after, EXPORT_PAGE, filter);
    if (rows.length === 0) return;
    const paragraphs = await store.paragraphsOf(rows.map((r) => r.id));
    for (const row of rows) {
      const out: ExportedArticle = { id: row.id, text: (paragraphs.get(row.id) ?? []).join('\n'), source: row.source, publishedAt: exportedDate(row.publishedAt, store.zone) };
      if (row.title) out.title = row.title;
      if (row.url) out.url = row.url;
      if (row.reporter) out.reporter = row.reporter;
      yield out;
    }
    after = rows[rows.length - 1]!.id;
  }
}
