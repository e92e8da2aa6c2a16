import { z } from 'zod';
import { publicationDate } from '../text/calendar-date.js';
import type { RawArticle } from './types.js';

const dateLike = z.union([z.string(), z.number()]).transform((v, ctx) => {
  // A number is a timestamp in ms; a string must be a real date (30 February is refused, not rolled into March).
  const d = typeof v === 'number' ? new Date(v) : undefined;
  const date = d ? (Number.isNaN(d.getTime()) ? undefined : d.toISOString()) : publicationDate(v as string);
  if (!date) {
    ctx.addIssue({ code: 'custom', message: `publishedAt "${v}" is not a date (YYYY-MM-DD or an ISO 8601 date-time)` });
    return z.NEVER;
  }
  return date;
});

/** One article of a .json / .jsonl file: `{id?, title?, text, source?, url?, publishedAt?}`. */
export const ArticleRecordSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  title: z.string().trim().optional(),
  text: z.string().trim().min(1, 'text is empty'),
  source: z.string().trim().min(1).optional(),
  url: z.url().optional(),
  publishedAt: dateLike.optional(),
});

export interface RecordProblem {
  /** 1-based line (jsonl) or array position (json). */
  at: number;
  reason: string;
}

export interface ParsedRecords {
  articles: RawArticle[];
  problems: RecordProblem[];
}

/** Reads JSON Lines; a line that does not parse or fit is reported by number and the rest go on. */
export function parseJsonLines(text: string): ParsedRecords {
  const out: ParsedRecords = { articles: [], problems: [] };
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      out.problems.push({ at: i + 1, reason: 'not valid JSON' });
      return;
    }
    addRecord(value, i + 1, out);
  });
  return out;
}

/** Reads a JSON file holding one article object or an array of them. */
export function parseJsonDocument(text: string): ParsedRecords {
  const out: ParsedRecords = { articles: [], problems: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    out.problems.push({ at: 0, reason: `not valid JSON (${(error as Error).message})` });
    return out;
  }
  const items = Array.isArray(value) ? value : [value];
  items.forEach((item, i) => addRecord(item, i + 1, out));
  return out;
}

function addRecord(value: unknown, at: number, out: ParsedRecords): void {
  const parsed = ArticleRecordSchema.safeParse(value);
  if (!parsed.success) {
    out.problems.push({ at, reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; ') });
    return;
  }
  const r = parsed.data;
  const paragraphs = r.text
    .split(/\r?\n+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const article: RawArticle = { paragraphs };
  if (r.title) article.title = r.title;
  if (r.source) article.source = r.source;
  if (r.url) article.url = r.url;
  if (r.publishedAt) article.publishedAt = r.publishedAt;
  out.articles.push(article);
}
