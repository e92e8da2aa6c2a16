/** An article as a reader found it, before it is stored. Paragraphs are cleaned, in order. */
export interface RawArticle {
  title?: string;
  paragraphs: string[];
  /** Outlet name, e.g. 中新网, 本报, or the --source flag. */
  source?: string;
  reporter?: string;
  url?: string;
  /**
   * The date as the source states it, read later by readPublicationDate (src/text/publication-date.ts):
   * YYYY-MM-DD, an ISO or RFC 822 date-time, `2025年02月13日 10:30`, epoch digits … A date-time without an
   * offset is read in `timezone`, else the file's or feed's zone, else NEWSDESK_TIMEZONE.
   */
  publishedAt?: string;
  /** IANA zone the source states for its times (front matter `timezone`, a record's `timezone`). */
  timezone?: string;
}

/** Hints from outside the text: command-line flags, a sidecar file, the file's own date. */
export interface IngestHints {
  source?: string;
  /** YYYY-MM-DD; used when the text gives no date, and to give a year to datelines like 2月14日. */
  date?: string;
  url?: string;
  title?: string;
  /** IANA zone of the file's or feed's times (sidecar `timezone`, `--timezone`, a feed's setting). */
  timezone?: string;
}
