import { basename, join } from 'node:path';
import { finalizeArticle, listInputFiles, readArticles, sidecarHints } from './ingest/ingest-files.js';
import type { Logger } from './log.js';
import { DEFAULT_TIMEZONE } from './config.js';
import { localDayOf } from './text/publication-date.js';
import { Newsdesk, SAMPLES_DIR } from './newsdesk.js';
import type { IngestSummary } from './ingest/ingest-files.js';
import type { NewsStore } from './store/news-store.js';

/**
 * The bundled sample news lives in a data directory of its own, `demo/` inside NEWSDESK_DATA_DIR, never in the one
 * that holds (or is about to hold) the owner's news: answers there are only ever from what the owner ingested.
 */
export const DEMO_DIR_NAME = 'demo';

export const demoDataDir = (dataDir: string) => join(dataDir, DEMO_DIR_NAME);

/**
 * Opens the demo data directory, indexing the bundled samples into it the first time (or again, should an earlier
 * try have been interrupted). Returns the desk and, when it indexed them now, the ingest summary.
 */
export async function openDemo(dataDir: string, log: Logger, now?: () => Date): Promise<{ desk: Newsdesk; indexed?: IngestSummary }> {
  // The demo is always a SQLite file of its own in the data directory, whatever store the owner's news is in.
  const desk = await Newsdesk.open({ dataDir: demoDataDir(dataDir), log, ...(now ? { now } : {}) });
  try {
    const missing = (await sampleArticleIds(desk.store)).length < sampleKeys(desk.now()).size;
    return missing ? { desk, indexed: await desk.ingest([SAMPLES_DIR]) } : { desk };
  } catch (error) {
    await desk.close();
    throw error;
  }
}

/** The dedupe keys of the bundled sample articles, as ingest computes them. */
function sampleKeys(now: Date): Set<string> {
  const keys = new Set<string>();
  for (const file of listInputFiles([SAMPLES_DIR]).files) {
    const hints = sidecarHints(file);
    const usable = readArticles(file, hints, localDayOf(now, DEFAULT_TIMEZONE), { now, zone: DEFAULT_TIMEZONE }).articles.filter((a) => a.paragraphs.some((p) => p.trim()));
    for (const a of usable) keys.add(finalizeArticle(a, hints, { now, zone: DEFAULT_TIMEZONE, origin: basename(file), singleArticle: usable.length === 1 }).article.dedupeKey);
  }
  return keys;
}

/**
 * Ids of the bundled sample articles in a store, found by their dedupe keys: also those an earlier newsdesk put into
 * the owner's own data directory on a first `ask`, which `newsdesk sources remove --samples` takes out.
 */
export async function sampleArticleIds(store: NewsStore, now: Date = new Date()): Promise<number[]> {
  const keys = [...sampleKeys(now)];
  if (keys.length === 0) return [];
  return store.articleIdsByDedupeKey(keys);
}
