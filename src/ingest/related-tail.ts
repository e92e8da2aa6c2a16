import { lineKey } from './repeated-lines.js';
import { endsCutShort } from './text-shape.js';

// Words that open the tags / related-links block of a web page; the article is over once one of them appears.
const MARKER_WORDS = [
  '标签',
  '关键词',
  '相关新闻',
  '相关阅读',
  '相关报道',
  '相关链接',
  '相关文章',
  '延伸阅读',
  '推荐阅读',
  '热门推荐',
  '猜你喜欢',
  '更多精彩',
  '责任编辑',
  '编辑',
  'tags',
  'related',
];
// The marker stands alone on its line, bracketed or followed by a colon (标签: 特斯拉 上海); a sentence that only
// starts with one of the words (相关新闻显示,…) is body text.
const MARKER = new RegExp(`^[【\\[]?(?:${MARKER_WORDS.join('|')})(?:[】\\]]\\s*|\\s*[:：].*|\\s*)$`, 'iu');
const MARKER_MAX = 40;
// A teaser block splits into headline-and-opening segments on runs of two or more spaces.
const SEGMENT_GAP = /\s{2,}/u;
// A tail without a marker needs a few lines, most of them repeats, before it is taken for teasers.
const MIN_UNMARKED_TAIL = 3;

/** Whether a line is a tags/related-links marker (标签:, 相关阅读, 【延伸阅读】, 责任编辑：张三). */
export function isTailMarker(line: string): boolean {
  const text = line.trim();
  return text.length <= MARKER_MAX && MARKER.test(text);
}

export interface TailCut {
  /** The article's lines, the tail removed. */
  body: string[];
  /** The teaser lines that were cut (without the marker line), for recovering the article's own headline. */
  teasers: string[];
}

/**
 * Removes the related-links tail of a scraped page: from a tags/related marker (标签:, 相关新闻, 责任编辑…)
 * followed by nothing or by mostly teaser-like lines, or, without a marker, a closing run of unfinished
 * lines most of whose segments are repeats (pages print each teaser twice).
 */
export function cutRelatedTail(lines: readonly string[]): TailCut {
  // unfinishedAfter[i]: lines after i that stop mid-sentence, counted once from the end so the scan stays linear.
  const unfinishedAfter = new Array<number>(lines.length + 1).fill(0);
  for (let i = lines.length - 1; i >= 0; i--) {
    unfinishedAfter[i] = (unfinishedAfter[i + 1] ?? 0) + (i + 1 < lines.length && endsCutShort(lines[i + 1] ?? '') ? 1 : 0);
  }
  for (let i = 1; i < lines.length; i++) {
    if (!isTailMarker(lines[i] ?? '')) continue;
    // Teasers are cut off mid-sentence or trail off in an ellipsis; body paragraphs end their sentences.
    const after = lines.length - i - 1;
    if ((unfinishedAfter[i] ?? 0) * 2 >= after) return { body: lines.slice(0, i), teasers: lines.slice(i + 1) };
  }
  const start = unmarkedTailStart(lines);
  if (start !== undefined) return { body: lines.slice(0, start), teasers: lines.slice(start) };
  return { body: [...lines], teasers: [] };
}

function unmarkedTailStart(lines: readonly string[]): number | undefined {
  let start = lines.length;
  while (start > 0 && endsCutShort(lines[start - 1] ?? '')) start--;
  const tail = lines.slice(start);
  if (tail.length < MIN_UNMARKED_TAIL || start === 0) return undefined;
  const counts = new Map<string, number>();
  const segments = tail.flatMap((l) => l.trim().split(SEGMENT_GAP)).map(lineKey).filter((k) => k.length > 0);
  for (const key of segments) counts.set(key, (counts.get(key) ?? 0) + 1);
  const repeated = segments.filter((k) => (counts.get(k) ?? 0) > 1).length;
  return repeated * 2 >= segments.length ? start : undefined;
}
