/** An article as a reader found it, before it is stored. Paragraphs are cleaned, in order. */
export interface RawArticle {
  title?: string;
  paragraphs: string[];
  /** Outlet name, e.g. 中新网, 本报, or the --source flag. */
  source?: string;
  reporter?: string;
  url?: string;
  /** ISO 8601 date (YYYY-MM-DD) or date-time. */
  publishedAt?: string;
}

/** Hints from outside the text: command-line flags, a sidecar file, the file's own date. */
export interface IngestHints {
  source?: string;
  /** YYYY-MM-DD; used when the text gives no date, and to give a year to datelines like 2月14日. */
  date?: string;
  url?: string;
  title?: string;
}
