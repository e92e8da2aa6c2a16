import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { NewsdeskError, describeError, isNewsdeskError } from '../errors.js';
import type { NewArticle, Store } from '../store/store.js';
import { decodeText } from './decode.js';
import { dedupeKey } from './dedupe-key.js';
import { DEFAULT_PAGE_ZONE, declaredHtmlCharset, parseHtml, type ParseHtmlOptions } from './html.js';
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
  /** Files whose encoding nothing declared and was chosen by how the text reads, with what was measured. */
  guessedEncodings: GuessedEncoding[];
}

export interface GuessedEncoding {
  file: string;
  /** `gb18030` or `big5`. */
  encoding: string;
  /** What decided it, e.g. "9 of 9 Chinese characters common; as Big5 3 of 9". */
  evidence: string;
}

export interface IngestOptions {
  hints?: IngestHints;
  now: () => Date;
  onProgress?: (done: number, total: number, file: string) => void;
  /** Directories never read when walking (the data directory). */
  exclude?: readonly string[];
  /** IANA zone in which dates without an offset (a page's `PubDate` 2025-02-14 18:30) are read; default Asia/Shanghai. */
  zone?: string;
}

/**
 * Expands files and directories (walked recursively) into files to read. Sidecars are read with their file; hidden
 * entries, files of other types and `exclude`d directories (the data directory with its own index.json) are not read
 * and are listed in `skipped` with the reason.
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
      if (excluded.has(resolve(path))) {
        if (!explicit) skipped.push({ file: path, reason: "newsdesk's own data directory (database and index), not news: not read" });
        return;
      }
      for (const entry of readdirSync(path).sort()) {
        // Hidden entries (.git, .DS_Store, editor backups) are not news; they are named so nothing goes unsaid.
        if (entry.startsWith('.')) skipped.push({ file: join(path, entry), reason: 'hidden file or folder: not read' });
        else visit(join(path, entry), false);
      }
      return;
    }
    if (path.endsWith(SIDECAR_SUFFIX)) return;
    const ext = extname(path).toLowerCase();
    if ((SUPPORTED_EXTENSIONS as readonly string[]).includes(ext)) files.push(path);
    else skipped.push({ file: path, reason: `unsupported file type "${ext || 'none'}" (supported: ${SUPPORTED_EXTENSIONS.join(', ')})` });
  };
  for (const p of paths) visit(p, true);
  return { files, skipped };
}

/**
 * Reads one file into articles; `guessedEncoding` is set when the file's encoding was guessed from its text.
 * Throws a NewsdeskError that says why a file cannot be used.
 */
export function readArticles(
  file: string,
  hints: IngestHints,
  today: string,
  page: ParseHtmlOptions = {},
): { articles: RawArticle[]; problems: RecordProblem[]; guessedEncoding?: Omit<GuessedEncoding, 'file'> } {
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
  const decoded = decodeText(bytes, file, ext === '.html' || ext === '.htm' ? declaredHtmlCharset(bytes) : undefined);
  const read = parseDecoded(ext, decoded.text, hints, today, page);
  return decoded.guessed ? { ...read, guessedEncoding: { encoding: decoded.encoding, evidence: decoded.guessed } } : read;
}

function parseDecoded(ext: string, text: string, hints: IngestHints, today: string, page: ParseHtmlOptions): { articles: RawArticle[]; problems: RecordProblem[] } {
  switch (ext) {
    case '.json':
      return parseJsonDocument(text);
    case '.jsonl':
      return parseJsonLines(text);
    case '.html':
    case '.htm':
      return { articles: parseHtml(text, page), problems: [] };
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

/** Ingests files and directories: each file is one transaction, a bad file is skipped with its reason. */
export function ingestFiles(store: Store, paths: readonly string[], options: IngestOptions): IngestSummary {
  const { files, skipped } = listInputFiles(paths, options.exclude);
  const summary: IngestSummary = { files: files.length, articles: 0, duplicates: 0, paragraphs: 0, passages: 0, skipped, problems: [], guessedEncodings: [] };
  files.forEach((file, i) => {
    options.onProgress?.(i, files.length, file);
    try {
      const hints: IngestHints = { ...options.hints, ...sidecarHints(file) };
      const { articles, problems, guessedEncoding } = readArticles(file, hints, options.now().toISOString().slice(0, 10), {
        now: options.now(),
        zone: options.zone ?? DEFAULT_PAGE_ZONE,
      });
      if (guessedEncoding) summary.guessedEncodings.push({ file, ...guessedEncoding });
      for (const p of problems) summary.problems.push({ ...p, file });
      const usable = articles.filter((a) => a.paragraphs.some((p) => p.trim().length > 0));
      if (usable.length === 0) {
        if (problems.length === 0) summary.skipped.push({ file, reason: 'no article text found' });
        return;
      }
      const now = options.now();
      const result = store.insertArticles(
        usable.map((a) => finalizeArticle(a, hints, now, basename(file), usable.length === 1)),
        now.toISOString(),
      );
      summary.duplicates += result.duplicates;
      summary.articles += result.added.length;
      for (const added of result.added) {
        summary.paragraphs += added.paragraphs;
        summary.passages += added.passages.length;
      }
    } catch (error) {
      if (isNewsdeskError(error)) summary.skipped.push({ file, reason: error.message });
      else summary.skipped.push({ file, reason: `could not be read: ${describeError(error)}` });
    }
  });
  options.onProgress?.(files.length, files.length, '');
  return summary;
}
