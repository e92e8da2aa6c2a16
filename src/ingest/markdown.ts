import { NewsdeskError } from '../errors.js';
import { calendarDay } from '../text/calendar-date.js';
import { cleanLines, finishPage, type ParseOptions } from './plain-text.js';
import { isTailMarker } from './related-tail.js';
import { splitArticles, type ArticleDraft } from './split-articles.js';
import { endsSentence } from './text-shape.js';
import type { IngestHints, RawArticle } from './types.js';

/** A block of a Markdown document once its syntax is gone. */
export type MarkdownBlock = { kind: 'heading'; level: number; text: string } | { kind: 'paragraph'; text: string };

export interface FrontMatter {
  title?: string;
  /** YYYY-MM-DD */
  date?: string;
  source?: string;
  url?: string;
  reporter?: string;
  /** IANA zone of the document's times (`timezone: Asia/Taipei`). */
  timezone?: string;
}

const FENCE_OPEN = /^\s{0,3}(`{3,}|~{3,})/u;
const ATX_HEADING = /^\s{0,3}(#{1,6})(?:[ \t]+(.*))?$/u;
const SETEXT_1 = /^\s{0,3}=+\s*$/u;
const SETEXT_2 = /^\s{0,3}-+\s*$/u;
const THEMATIC_BREAK = /^\s{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/u;
const BLOCKQUOTE = /^\s{0,3}>[ \t]?/u;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?/u;
const LINK_DEFINITION = /^\s{0,3}\[[^\]\n]+\]:\s*\S+/u;
const CJK_EDGE = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;
const FRONT_MATTER_KEYS: Record<string, keyof FrontMatter> = {
  title: 'title',
  date: 'date',
  published: 'date',
  publishedat: 'date',
  published_at: 'date',
  source: 'source',
  outlet: 'source',
  url: 'url',
  link: 'url',
  author: 'reporter',
  reporter: 'reporter',
  timezone: 'timezone',
  tz: 'timezone',
};

/**
 * Reads a Markdown news document into clean articles. Front matter (title, date, source, url, author) is read as
 * metadata: `hints` win over it, except the date, which the document knows better than a file's timestamp.
 * Headings of level 1 and 2 start articles titled by them when the document has several (a lone `#` heading
 * right above them is the page's title and is dropped); a document with one such heading is one article titled
 * by it; a document without headings is read like plain text, which may still find several articles.
 * Emphasis and links keep their text, images are dropped, code blocks are kept as text. Each article is then
 * cleaned as plain text is (related-links tail, repeated lines, page breaks, datelines and bylines).
 */
export function parseMarkdown(text: string, hints: IngestHints, options: ParseOptions = {}): RawArticle[] {
  const lines = text.replace(/^\uFEFF/u, '').split(/\r\n|\r|\n/u);
  const { meta, bodyStart } = readFrontMatter(lines);
  const blocks = markdownBlocks(lines.slice(bodyStart));
  const effective = mergeHints(hints, meta);
  const teasers: string[] = [];
  const drafts = draftsFromBlocks(blocks, teasers);
  const articles = finishPage(drafts, teasers, effective, options);
  if (meta.reporter) for (const a of articles) a.reporter ??= meta.reporter;
  if (meta.timezone) for (const a of articles) a.timezone ??= meta.timezone;
  return articles;
}

/** Reads `---`-fenced `key: value` front matter at the very top; `bodyStart` is the first line after it. */
export function readFrontMatter(lines: readonly string[]): { meta: FrontMatter; bodyStart: number } {
  if (lines[0]?.trim() !== '---') return { meta: {}, bodyStart: 0 };
  const end = lines.findIndex((line, i) => i > 0 && /^(?:---|\.\.\.)\s*$/u.test(line));
  if (end < 0) return { meta: {}, bodyStart: 0 };
  const meta: FrontMatter = {};
  for (const line of lines.slice(1, end)) {
    const match = /^\s*([A-Za-z_]+)\s*:(.*)$/u.exec(line);
    const key = match && FRONT_MATTER_KEYS[(match[1] ?? '').toLowerCase()];
    const value = unquote((match?.[2] ?? '').trim());
    if (!key || !value) continue;
    if (key === 'date') {
      const date = isoDate(value);
      // A date that is no day (2025-99-99) is the author's typo: the file is reported, not stored with a made-up date.
      if (date && !calendarDay(date)) throw new NewsdeskError('PARSE_FAILED', `front matter date "${value}" is not a calendar date: correct it (YYYY-MM-DD, e.g. 2025-02-14) and ingest the file again.`);
      if (date) meta.date = date;
    } else meta[key] = value;
  }
  return { meta, bodyStart: end + 1 };
}

/** The blocks of a Markdown body: headings and paragraphs with their syntax removed. */
export function markdownBlocks(lines: readonly string[]): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  let paragraph: string[] = [];
  let inQuote = false;
  const flush = () => {
    for (const text of joinSoftWraps(paragraph)) blocks.push({ kind: 'paragraph', text });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').replace(/\t/gu, '    ');
    const fence = FENCE_OPEN.exec(raw);
    if (fence) {
      flush();
      const marker = fence[1] ?? '```';
      const code: string[] = [];
      for (i++; i < lines.length && !isFenceClose(lines[i] ?? '', marker); i++) code.push((lines[i] ?? '').trimEnd());
      while (code.length > 0 && code[code.length - 1] === '') code.pop();
      // The code's own line breaks are kept: it is read as it was written.
      if (code.length > 0) blocks.push({ kind: 'paragraph', text: code.join('\n') });
      continue;
    }
    if (raw.trim().startsWith('<!--')) {
      flush();
      while (i < lines.length && !(lines[i] ?? '').includes('-->')) i++;
      continue;
    }
    // Entering or leaving a quote ends the paragraph, as it does when Markdown is rendered.
    const quoted = BLOCKQUOTE.test(raw);
    if (quoted !== inQuote) flush();
    inQuote = quoted;
    const line = raw.replace(BLOCKQUOTE, '').replace(BLOCKQUOTE, '');
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (paragraph.length > 0 && (SETEXT_1.test(line) || SETEXT_2.test(line))) {
      const text = paragraph.map((l) => stripInline(l).trim()).join(' ');
      paragraph = [];
      blocks.push(heading(SETEXT_1.test(line) ? 1 : 2, text));
      continue;
    }
    if (THEMATIC_BREAK.test(line) || LINK_DEFINITION.test(line) || isTableRule(line)) {
      flush();
      continue;
    }
    const atx = ATX_HEADING.exec(line);
    if (atx) {
      flush();
      const text = stripInline(withoutClosingHashes(atx[2] ?? '')).trim();
      if (text) blocks.push(heading((atx[1] ?? '#').length, text));
      continue;
    }
    if (isTableRow(line)) {
      flush();
      const cells = line.split('|').map((c) => stripInline(c).trim()).filter((c) => c.length > 0);
      if (cells.length > 0) blocks.push({ kind: 'paragraph', text: cells.join(' ') });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) flush();
    paragraph.push(stripInline(item ? line.slice(item[0].length) : line));
  }
  flush();
  return blocks;
}

/** Removes inline Markdown: images go, links and emphasis keep their text, code spans keep their content. */
export function stripInline(line: string): string {
  // Backslash escapes stand for the character itself; they are hidden while the syntax is removed.
  const escaped = line.replace(/\\([!-/:-@[-`{-~])/gu, (_, ch: string) => String.fromCharCode(0xe000 + ch.charCodeAt(0)));
  // Code spans are left as written; only the text between them is read as Markdown.
  const pieces = escaped.split(/(`+)([^`\n]*?)\1/u);
  let out = '';
  for (let k = 0; k < pieces.length; k++) {
    if (k % 3 === 0) out += stripSyntax(pieces[k] ?? '');
    else if (k % 3 === 2) out += pieces[k] ?? '';
  }
  return out.replace(/[\ue000-\ue07f]/gu, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xe000));
}

function stripSyntax(text: string): string {
  return text
    // Bounded lengths keep each pattern linear on a line full of unmatched brackets.
    .replace(/!\[[^\]\n]{0,500}\]\([^)\n]{0,2000}\)/gu, '')
    .replace(/!\[[^\]\n]{0,500}\]\[[^\]\n]{0,200}\]/gu, '')
    .replace(/\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)/gu, '$1')
    .replace(/\[([^\]\n]{1,500})\]\[[^\]\n]{0,200}\]/gu, '$1')
    .replace(/<((?:https?|mailto):[^>\s]{1,2000})>/gu, '$1')
    .replace(/<!--.{0,2000}?-->/gu, '')
    .replace(/<\/?[A-Za-z][^<>\n]{0,500}>/gu, '')
    .replace(/\*\*([^*\n]+)\*\*/gu, '$1')
    .replace(/__([^_\n]+)__/gu, '$1')
    .replace(/~~([^~\n]+)~~/gu, '$1')
    .replace(/\*([^*\s][^*\n]*)\*/gu, '$1')
    .replace(/(^|[^\p{L}\p{N}_])_([^_\s][^_\n]*)_(?![\p{L}\p{N}_])/gu, '$1$2');
}

// Table syntax is read with string tests rather than regexes, which backtrack badly on long rows of spaces.
function isTableRow(line: string): boolean {
  const text = line.trim();
  return text.length > 1 && text.startsWith('|') && text.endsWith('|');
}

function isTableRule(line: string): boolean {
  return line.includes('|') && line.includes('-') && line.replace(/[|:\-\s]/gu, '') === '';
}

// "## Title ##": the closing hashes are decoration.
function withoutClosingHashes(text: string): string {
  const trimmed = text.trimEnd();
  let end = trimmed.length;
  while (end > 0 && trimmed[end - 1] === '#') end--;
  if (end === trimmed.length) return trimmed;
  return end === 0 || /\s/u.test(trimmed.charAt(end - 1)) ? trimmed.slice(0, end) : trimmed;
}

function heading(level: number, text: string): MarkdownBlock {
  // A related-links heading (## 相关阅读) is the marker of a tail, not an article.
  return isTailMarker(text) ? { kind: 'paragraph', text } : { kind: 'heading', level, text };
}

function isFenceClose(line: string, marker: string): boolean {
  const match = /^\s{0,3}(`{3,}|~{3,})\s*$/u.exec(line);
  return match !== null && (match[1] ?? '')[0] === marker[0] && (match[1] ?? '').length >= marker.length;
}

// Lines of one Markdown paragraph are one paragraph, except that a line ending its sentence (as Chinese text
// written one paragraph a line does) or a hard break stays a paragraph of its own.
function joinSoftWraps(lines: readonly string[]): string[] {
  const out: string[] = [];
  // Pieces are joined once at the end, and only the last line is inspected, so long paragraphs stay linear.
  let pieces: string[] = [];
  const flush = () => {
    if (pieces.length > 0) out.push(pieces.join(''));
    pieces = [];
  };
  for (const line of lines) {
    // Two trailing spaces or a backslash end a line on purpose (a hard break), so it is not joined to the next.
    const hardBreak = line.endsWith('  ') || line.endsWith('\\');
    const text = (line.endsWith('\\') ? line.slice(0, -1) : line).trim();
    if (!text) continue;
    const last = pieces[pieces.length - 1];
    if (last !== undefined && !CJK_EDGE.test(last.slice(-1)) && !CJK_EDGE.test(text.charAt(0))) pieces.push(' ');
    pieces.push(text);
    if (hardBreak || endsSentence(text)) flush();
  }
  flush();
  return out;
}

function draftsFromBlocks(blocks: readonly MarkdownBlock[], teasers: string[]): ArticleDraft[] {
  const headings = blocks.filter((b): b is Extract<MarkdownBlock, { kind: 'heading' }> => b.kind === 'heading' && b.level <= 2);
  const level = splitLevel(blocks);
  const clean = (texts: readonly string[]) => {
    const cleaned = cleanLines(texts);
    teasers.push(...cleaned.teasers);
    return cleaned.paragraphs;
  };
  if (level === undefined) {
    const first = blocks.find((b) => b.kind === 'heading');
    const titled = first !== undefined && first === headings[0] && blocks[0] === first;
    const texts = blocks.filter((b) => !(titled && b === first)).map((b) => b.text);
    const paragraphs = clean(texts);
    // A titled document is one article; without a heading it may be a pasted page holding several.
    if (titled) return [{ title: first.text, leading: [], body: paragraphs }];
    return splitArticles(paragraphs);
  }
  const drafts: ArticleDraft[] = [];
  let title: string | undefined;
  let texts: string[] = [];
  const close = () => {
    const body = clean(texts);
    if (title !== undefined && body.length > 0) drafts.push({ title, leading: [], body });
    else if (title === undefined && body.length > 0) drafts.push(...splitArticles(body));
    texts = [];
  };
  for (const block of blocks) {
    if (block.kind === 'heading' && block.level === level) {
      close();
      title = block.text;
    } else if (block.kind === 'heading' && block.level < level) {
      // The page's own title above its articles.
      close();
      title = undefined;
    } else texts.push(block.text);
  }
  close();
  return drafts;
}

/**
 * The heading level that separates articles: level 1 when there are several; else level 2 when there are
 * several and any level-1 heading is a bare page title right above them; undefined for a single article.
 */
function splitLevel(blocks: readonly MarkdownBlock[]): 1 | 2 | undefined {
  const levelOf = (n: number) => blocks.filter((b) => b.kind === 'heading' && b.level === n).length;
  if (levelOf(1) >= 2) return 1;
  if (levelOf(2) < 2) return undefined;
  if (levelOf(1) === 0) return 2;
  const top = blocks.findIndex((b) => b.kind === 'heading' && b.level === 1);
  const next = blocks[top + 1];
  return next?.kind === 'heading' && next.level === 2 ? 2 : undefined;
}

function mergeHints(hints: IngestHints, meta: FrontMatter): IngestHints {
  const merged: IngestHints = { ...hints };
  const source = hints.source ?? meta.source;
  if (source) merged.source = source;
  const date = meta.date ?? hints.date;
  if (date) merged.date = date;
  const url = hints.url ?? meta.url;
  if (url) merged.url = url;
  const title = hints.title ?? meta.title;
  if (title) merged.title = title;
  return merged;
}

function unquote(value: string): string {
  return value.replace(/^(["'])(.*)\1$/u, '$2').trim();
}

function isoDate(value: string): string | undefined {
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/u.exec(value);
  if (!match) return undefined;
  return `${match[1]}-${(match[2] ?? '').padStart(2, '0')}-${(match[3] ?? '').padStart(2, '0')}`;
}
