import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { NewsdeskError, describeError, isNewsdeskError } from '../errors.js';
import type { NewArticle, Store } from '../store/store.js';
import { decodeText } from './decode.js';
import { dedupeKey } from './dedupe-key.js';
import { declaredHtmlCharset, parseHtml } from './html.js';
import { parseJsonDocument, parseJsonLines, type RecordProblem } from './json-records.js';
import { parseMarkdown } from './markdown.js';
import { parsePlainText } from './plain-text.js';
import type { IngestHints, RawArticle } from './types.js';

export const SUPPORTED_EXTENSIONS = ['.txt', '.md', '.markdown', '.html', '.htm', '.json', '.jsonl'] as const;
/** A sidecar `<file>.meta.json` gives a file's outlet, date, url or title when its text does not. */
export const SIDECAR_SUFFIX = '.meta.json';

// One article page is kilobytes; megabytes of prose in one .txt/.html is a wrong file, not news.
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
// Record files (JSON, JSON Lines) legitimately hold many articles.
export const MAX_RECORDS_BYTES = 256 * 1024 * 1024;

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface IngestSummary {
  files: number;
  articles: number;
  duplicates: number;
  paragraphs: number;
  passages: number;
  skipped: SkippedFile[];
  /** Records inside a file that were skipped (bad JSON lines, records without text). */
  problems: Array<RecordProblem & { file: string }>;
}

/**
 * Articles written per transaction. A file of 12,000 articles in one transaction held SQLite's write lock for
 * seconds, and a second ingest (or the bot storing a feed item) gave up after the busy timeout. A batch of this
 * size takes a fraction of a second, so other writers wait for one batch, not a whole file.
 */
export const INGEST_BATCH_ARTICLES = 250;

export interface IngestOptions {
  hints?: IngestHints;
  now: () => Date;
  onProgress?: (done: number, total: number, file: string) => void;
  /**
   * Called while another process holds the database's write lock (each time SQLite's busy timeout passes),
   * with the file being stored and the milliseconds waited so far. Ingest waits as long as it takes.
   */
  onWaitForLock?: (file: string, waitedMs: number) => void;
  /** Directories never read when walking (the data directory). */
  exclude?: readonly string[];
}

/**
 * Expands files and directories (walked recursively; hidden entries, sidecars and `exclude`d directories
 * such as the data directory with its own index.json skipped) into files to read.
 */
export function listInputFiles(paths: readonly string[], exclude: readonly string[] = []): { files: string[]; skipped: SkippedFile[] } {
  const excluded = new Set(exclude.map((p) => resolve(p)));
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const visit = (path: string, explicit: boolean) => {
    if (!existsSync(path)) {
      skipped.push({ file: path, reason: 'does not exist' });
      return;
    }
    const stat = statSync(path);
    if (stat.isDirectory()) {
      if (excluded.has(resolve(path))) return;
      for (const entry of readdirSync(path).sort()) if (!entry.startsWith('.')) visit(join(path, entry), false);
      return;
    }
    if (path.endsWith(SIDECAR_SUFFIX)) return;
    const ext = extname(path).toLowerCase();
    if ((SUPPORTED_EXTENSIONS as readonly string[]).includes(ext)) files.push(path);
    else if (explicit) skipped.push({ file: path, reason: `unsupported file type "${ext || 'none'}" (supported: ${SUPPORTED_EXTENSIONS.join(', ')})` });
  };
  for (const p of paths) visit(p, true);
  return { files, skipped };
}

/** Reads one file into articles. Throws a NewsdeskError that says why a file cannot be used. */
export function readArticles(file: string, hints: IngestHints, today: string): { articles: RawArticle[]; problems: RecordProblem[] } {
  const ext = extname(file).toLowerCase();
  const isRecords = ext === '.json' || ext === '.jsonl';
  const size = statSync(file).size;
  const limit = isRecords ? MAX_RECORDS_BYTES : MAX_DOCUMENT_BYTES;
  if (size > limit) {
    throw new NewsdeskError(
      'FILE_TOO_LARGE',
      `${file} is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${limit / 1024 / 1024} MB limit for ${ext} files: skipped. ` +
        (isRecords ? 'Split it into several files.' : 'One article is kilobytes; put many articles in a .jsonl file instead.'),
    );
  }
  const bytes = readFileSync(file);
  const { text } = decodeText(bytes, file, ext === '.html' || ext === '.htm' ? declaredHtmlCharset(bytes) : undefined);
  switch (ext) {
    case '.json':
      return parseJsonDocument(text);
    case '.jsonl':
      return parseJsonLines(text);
    case '.html':
    case '.htm':
      return { articles: parseHtml(text), problems: [] };
    case '.md':
    case '.markdown':
      return { articles: parseMarkdown(text, referenceHints(hints), { today }), problems: [] };
    default:
      return { articles: parsePlainText(text, referenceHints(hints), { today }), problems: [] };
  }
}

// The parsers use the date as a reference year for datelines such as 2月14日; outlet and URL are decided in finalize.
function referenceHints(hints: IngestHints): IngestHints {
  const { source: _source, url: _url, ...rest } = hints;
  return rest;
}

function sidecarHints(file: string): IngestHints {
  const sidecar = file.slice(0, file.length - extname(file).length) + SIDECAR_SUFFIX;
  if (!existsSync(sidecar)) return {};
  try {
    const value = JSON.parse(readFileSync(sidecar, 'utf8')) as Record<string, unknown>;
    const hints: IngestHints = {};
    for (const key of ['source', 'date', 'url', 'title'] as const) if (typeof value[key] === 'string') hints[key] = value[key];
    return hints;
  } catch (error) {
    throw new NewsdeskError('PARSE_FAILED', `${sidecar} is not valid JSON (${describeError(error)}): fix or delete it.`);
  }
}

// 本报 / 本台 / 本刊 / 本网 ("this paper") name no outlet by themselves: an outlet given from outside replaces them.
const SELF_REFERENCE = /^本(报|台|刊|网|站)$/;

/**
 * Decides what the store needs. The text's own outlet and date win (flags are for "files that do not
 * say"), except a self-reference such as 本报, which a sidecar or `--source` names. An article nothing dates
 * is dated by the time of ingest. A file-level URL or title belongs to a file holding one article only:
 * given to every article of a newspaper page it would make them all one article to dedupe.
 */
export function finalizeArticle(raw: RawArticle, hints: IngestHints, now: Date, origin?: string, singleArticle = true): NewArticle {
  const textSource = raw.source && !(SELF_REFERENCE.test(raw.source) && hints.source) ? raw.source : undefined;
  const url = raw.url ?? (singleArticle ? hints.url : undefined);
  const withUrl: RawArticle = url ? { ...raw, url } : raw;
  const article: NewArticle = {
    dedupeKey: dedupeKey(withUrl),
    paragraphs: raw.paragraphs,
    source: textSource ?? hints.source ?? raw.source ?? 'unknown',
    publishedAt: raw.publishedAt ?? hints.date ?? now.toISOString(),
  };
  const title = raw.title ?? (singleArticle ? hints.title : undefined);
  if (title) article.title = title;
  if (raw.reporter) article.reporter = raw.reporter;
  if (url) article.url = url;
  if (origin) article.origin = origin;
  return article;
}

/**
 * Ingests files and directories, writing each file's articles in transactions of INGEST_BATCH_ARTICLES and
 * waiting for another writer's lock as long as it takes. A bad file is skipped with its reason; a write that
 * fails part-way through a file is reported with how many of its articles were stored (ingesting the file again
 * adds the rest: the stored ones are duplicates by then).
 */
export function ingestFiles(store: Store, paths: readonly string[], options: IngestOptions): IngestSummary {
  const { files, skipped } = listInputFiles(paths, options.exclude);
  const summary: IngestSummary = { files: files.length, articles: 0, duplicates: 0, paragraphs: 0, passages: 0, skipped, problems: [] };
  files.forEach((file, i) => {
    options.onProgress?.(i, files.length, file);
    try {
      const hints: IngestHints = { ...options.hints, ...sidecarHints(file) };
      const { articles, problems } = readArticles(file, hints, options.now().toISOString().slice(0, 10));
      for (const p of problems) summary.problems.push({ ...p, file });
      const usable = articles.filter((a) => a.paragraphs.some((p) => p.trim().length > 0));
      if (usable.length === 0) {
        if (problems.length === 0) summary.skipped.push({ file, reason: 'no article text found' });
        return;
      }
      const now = options.now();
      const ready = usable.map((a) => finalizeArticle(a, hints, now, basename(file), usable.length === 1));
      const onWait = options.onWaitForLock;
      let done = 0;
      try {
        for (; done < ready.length; done += INGEST_BATCH_ARTICLES) {
          const result = store.insertArticles(ready.slice(done, done + INGEST_BATCH_ARTICLES), now.toISOString(), {
            waitForLock: true,
            ...(onWait ? { onWait: (waited: number) => onWait(file, waited) } : {}),
          });
          summary.duplicates += result.duplicates;
          summary.articles += result.added.length;
          for (const added of result.added) {
            summary.paragraphs += added.paragraphs;
            summary.passages += added.passages.length;
          }
        }
      } catch (error) {
        if (done === 0) throw error;
        summary.skipped.push({ file, reason: `only ${done} of its ${ready.length} articles were stored (${describeError(error)}): ingest it again to add the rest` });
      }
    } catch (error) {
      if (isNewsdeskError(error)) summary.skipped.push({ file, reason: error.message });
      else summary.skipped.push({ file, reason: `could not be read: ${describeError(error)}` });
    }
  });
  options.onProgress?.(files.length, files.length, '');
  return summary;
}
