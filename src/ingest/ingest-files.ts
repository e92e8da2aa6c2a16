import { readFileSync, readdirSync, realpathSync, statSync, existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { NewsdeskError, describeError, isNewsdeskError } from '../errors.js';
import type { NewsStore } from '../store/news-store.js';
import type { NewArticle } from '../store/store.js';
import { isTimeZone } from '../config.js';
import { localDayOf, readPublicationDate } from '../text/publication-date.js';
import { calendarDay } from '../text/calendar-date.js';
import { decodeText } from './decode.js';
import { dedupeKey } from './dedupe-key.js';
import { declaredHtmlCharset, parseHtml, type ParseHtmlOptions } from './html.js';
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
  /**
   * Why, in one word: `hidden` (a dot file, never read: not counted as a failure), `unsupported` (a type newsdesk
   * does not read, such as .pdf), `missing`, or `unreadable` (read but unusable: empty, binary, bad encoding, bad date).
   */
  kind?: 'hidden' | 'unsupported' | 'missing' | 'unreadable';
}

export interface IngestSummary {
  /** Files read and stored (or found already stored); skipped files are not counted here. */
  files: number;
  articles: number;
  duplicates: number;
  /** Articles the owner removed earlier (tombstones): not stored again. */
  removedBefore: number;
  /** Articles already stored under another date than the one this ingest gives them. */
  redated: Array<{ id: number; storedDate: string; offeredDate: string; file: string }>;
  paragraphs: number;
  passages: number;
  skipped: SkippedFile[];
  /** Records inside a file that were skipped (bad JSON lines, records without text). */
  problems: Array<RecordProblem & { file: string }>;
  /** Articles kept but dated by the time of ingest, because the date they gave could not be used. */
  dateProblems: DateProblem[];
  /** Files whose encoding nothing declared and was chosen by how the text reads, with what was measured. */
  guessedEncodings: GuessedEncoding[];
}

/** An article whose stated date was unreadable, before 1990 or in the future: stored, dated by the ingest. */
export interface DateProblem {
  file: string;
  /** The article's title, else the opening of its text. */
  article: string;
  reason: string;
}

export interface GuessedEncoding {
  file: string;
  /** `gb18030` or `big5`. */
  encoding: string;
  /** What decided it, e.g. "9 of 9 Chinese characters common; as Big5 3 of 9". */
  evidence: string;
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
  /** The outlets' zone when a file names none (NEWSDESK_TIMEZONE). */
  zone: string;
  /** Called before each file and once at the end; awaited, so it may read the store (the early tokenizer does). */
  onProgress?: (done: number, total: number, file: string) => void | Promise<void>;
  /**
   * Called while another process holds the database's write lock (each time SQLite's busy timeout passes),
   * with the file being stored and the milliseconds waited so far. Ingest waits as long as it takes.
   */
  onWaitForLock?: (file: string, waitedMs: number) => void;
  /** Directories never read when walking (the data directory). */
  exclude?: readonly string[];
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
  // By real path: a symbolic link back up the tree (`loop -> .`) or a second link to a file is walked once.
  const seen = new Set<string>();
  const visit = (path: string, explicit: boolean) => {
    if (!existsSync(path)) {
      skipped.push({ file: path, reason: explicit ? 'does not exist' : 'is a broken symbolic link', kind: 'missing' });
      return;
    }
    const real = realpathSync(path);
    if (seen.has(real)) return;
    seen.add(real);
    const stat = statSync(path);
    if (stat.isDirectory()) {
      // newsdesk's own data directory (database and index) is not news, and not the owner's input either: passed over.
      if (excluded.has(resolve(path)) || excluded.has(real)) return;
      for (const entry of readdirSync(path).sort()) {
        // Hidden entries (.git, .DS_Store, editor backups) are not news; they are named so nothing goes unsaid.
        if (entry.startsWith('.')) skipped.push({ file: join(path, entry), reason: 'hidden, not read', kind: 'hidden' });
        else visit(join(path, entry), false);
      }
      return;
    }
    if (path.endsWith(SIDECAR_SUFFIX)) return;
    const ext = extname(path).toLowerCase();
    if ((SUPPORTED_EXTENSIONS as readonly string[]).includes(ext)) files.push(path);
    else skipped.push({ file: path, reason: unsupportedReason(ext), kind: 'unsupported' });
  };
  for (const p of paths) visit(p, true);
  return { files, skipped };
}

const CONVERT_HINTS: Record<string, string> = {
  '.pdf': 'PDF is not read: save the article as text or HTML first',
  '.doc': 'Word documents are not read: save as .txt or .html first',
  '.docx': 'Word documents are not read: save as .txt or .html first',
  '.csv': 'CSV is not read: turn each row into a line of .jsonl ({"title", "text", "source", "publishedAt"})',
  '.xlsx': 'spreadsheets are not read: turn each row into a line of .jsonl',
};

function unsupportedReason(ext: string): string {
  return `${CONVERT_HINTS[ext] ?? `unsupported file type "${ext || 'none'}"`} (newsdesk reads ${SUPPORTED_EXTENSIONS.join(', ')})`;
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

/** The hints of a file's sidecar `<name>.meta.json`, if it has one. Throws PARSE_FAILED for bad JSON or a date that is no day. */
export function sidecarHints(file: string): IngestHints {
  const sidecar = file.slice(0, file.length - extname(file).length) + SIDECAR_SUFFIX;
  if (!existsSync(sidecar)) return {};
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(readFileSync(sidecar, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new NewsdeskError('PARSE_FAILED', `${sidecar} is not valid JSON (${describeError(error)}): fix or delete it.`);
  }
  const hints: IngestHints = {};
  for (const key of ['source', 'date', 'url', 'title', 'timezone'] as const) if (typeof value[key] === 'string') hints[key] = value[key];
  // A day that is no day (2025-02-30) is a typo to fix, not a date to store (nor to roll over into the next month);
  // other forms (with a time, in words) are read, and reported if unreadable, by the date reader.
  if (hints.date !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(hints.date) && !calendarDay(hints.date)) {
    throw new NewsdeskError('PARSE_FAILED', `${sidecar}: date "${hints.date}" is not a calendar date: correct it (YYYY-MM-DD, e.g. 2025-02-14).`);
  }
  return hints;
}

// 本报 / 本台 / 本刊 / 本网 ("this paper") name no outlet by themselves: an outlet given from outside replaces them.
const SELF_REFERENCE = /^本(报|台|刊|网|站)$/;

/** What finalizeArticle needs besides the article: the clock, the zone, where it came from. */
export interface FinalizeContext {
  /** The time of ingest: dates an article nothing dates, and bounds its date. */
  now: Date;
  /** The outlets' default zone (NEWSDESK_TIMEZONE); a zone the article, file or feed states wins. */
  zone: string;
  origin?: string;
  /** Whether the file or item holds this one article only (a file-level URL or title then applies). */
  singleArticle?: boolean;
}

/**
 * Decides what the store needs. The text's own outlet and date win (flags are for "files that do not
 * say"), except a self-reference such as 本报, which a sidecar or `--source` names. A file-level URL or
 * title belongs to a file holding one article only: given to every article of a newspaper page it would
 * make them all one article to dedupe.
 *
 * Date: the article's own, else `hints.date`, read by readPublicationDate in the zone the article states,
 * else the file's or feed's (`hints.timezone`), else `ctx.zone`; the day stored is the article's local day.
 * An article nothing dates, or whose date cannot be used (unreadable, before 1990, more than a day ahead),
 * is dated by the time of ingest; `dateProblem` then says why, for the report.
 */
export function finalizeArticle(raw: RawArticle, hints: IngestHints, ctx: FinalizeContext): { article: NewArticle; dateProblem?: string } {
  const textSource = raw.source && !(SELF_REFERENCE.test(raw.source) && hints.source) ? raw.source : undefined;
  const singleArticle = ctx.singleArticle ?? true;
  const url = raw.url ?? (singleArticle ? hints.url : undefined);
  const withUrl: RawArticle = url ? { ...raw, url } : raw;
  const zone = [raw.timezone, hints.timezone].find((z): z is string => z !== undefined && isTimeZone(z)) ?? ctx.zone;
  const stated = raw.publishedAt ?? hints.date;
  const reading = stated === undefined ? undefined : readPublicationDate(stated, { zone, now: ctx.now });
  const article: NewArticle = {
    dedupeKey: dedupeKey(withUrl),
    paragraphs: raw.paragraphs,
    source: textSource ?? hints.source ?? raw.source ?? 'unknown',
    publishedAt: reading?.ok ? reading.date.instant : ctx.now.toISOString(),
    publishedDay: reading?.ok ? reading.date.day : localDayOf(ctx.now, zone),
  };
  const title = raw.title ?? (singleArticle ? hints.title : undefined);
  if (title) article.title = title;
  if (raw.reporter) article.reporter = raw.reporter;
  if (url) article.url = url;
  if (ctx.origin) article.origin = ctx.origin;
  return reading && !reading.ok ? { article, dateProblem: `${reading.reason}; dated by the time of ingest` } : { article };
}

/** How a report names an article: its title, else the opening of its text. */
export function articleLabel(raw: RawArticle): string {
  const text = raw.title ?? raw.paragraphs[0] ?? '';
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * Ingests files and directories, writing each file's articles in transactions of INGEST_BATCH_ARTICLES and
 * waiting for another writer's lock as long as it takes. A bad file is skipped with its reason; a write that
 * fails part-way through a file is reported with how many of its articles were stored (ingesting the file again
 * adds the rest: the stored ones are duplicates by then).
 */
export async function ingestFiles(store: NewsStore, paths: readonly string[], options: IngestOptions): Promise<IngestSummary> {
  const { files, skipped } = listInputFiles(paths, options.exclude);
  const summary: IngestSummary = { files: 0, articles: 0, duplicates: 0, removedBefore: 0, redated: [], paragraphs: 0, passages: 0, skipped, problems: [], dateProblems: [], guessedEncodings: [] };
  for (const [i, file] of files.entries()) {
    await options.onProgress?.(i, files.length, file);
    try {
      const hints: IngestHints = { ...options.hints, ...sidecarHints(file) };
      // The reference day for datelines such as 2月14日 is today where the outlets are, not in UTC.
      const zone = hints.timezone && isTimeZone(hints.timezone) ? hints.timezone : options.zone;
      const today = localDayOf(options.now(), zone);
      const { articles, problems, guessedEncoding } = readArticles(file, hints, today, { now: options.now(), zone });
      if (guessedEncoding) summary.guessedEncodings.push({ file, ...guessedEncoding });
      for (const p of problems) summary.problems.push({ ...p, file });
      const usable = articles.filter((a) => a.paragraphs.some((p) => p.trim().length > 0));
      if (usable.length === 0) {
        if (problems.length === 0) summary.skipped.push({ file, reason: 'no article text found', kind: 'unreadable' });
        continue;
      }
      const now = options.now();
      const finalized = usable.map((a) => {
        const { article, dateProblem } = finalizeArticle(a, hints, { now, zone: options.zone, origin: basename(file), singleArticle: usable.length === 1 });
        return { article, dateProblem, label: articleLabel(a) };
      });
      for (const f of finalized) if (f.dateProblem) summary.dateProblems.push({ file, article: f.label, reason: f.dateProblem });
      const ready = finalized.map((f) => f.article);
      const onWait = options.onWaitForLock;
      let done = 0;
      try {
        for (; done < ready.length; done += INGEST_BATCH_ARTICLES) {
          const result = await store.insertArticles(ready.slice(done, done + INGEST_BATCH_ARTICLES), now.toISOString(), {
            waitForLock: true,
            ...(onWait ? { onWait: (waited: number) => onWait(file, waited) } : {}),
          });
          summary.duplicates += result.duplicates;
          summary.removedBefore += result.removedBefore;
          // Only a date the file gives counts: an undated article is dated by the time of ingest, which always differs.
          for (const { at, ...r } of result.redated) if (usable[done + at]?.publishedAt ?? hints.date) summary.redated.push({ ...r, file });
          summary.articles += result.added.length;
          for (const added of result.added) {
            summary.paragraphs += added.paragraphs;
            summary.passages += added.passages.length;
          }
        }
        summary.files++;
      } catch (error) {
        if (done === 0) throw error;
        summary.files++;
        summary.skipped.push({ file, reason: `only ${done} of its ${ready.length} articles were stored (${describeError(error)}): ingest it again to add the rest`, kind: 'unreadable' });
      }
    } catch (error) {
      if (isNewsdeskError(error)) summary.skipped.push({ file, reason: error.message, kind: 'unreadable' });
      else summary.skipped.push({ file, reason: `could not be read: ${describeError(error)}`, kind: 'unreadable' });
    }
  }
  await options.onProgress?.(files.length, files.length, '');
  return summary;
}
