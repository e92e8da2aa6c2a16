import { normalize } from '../text/normalize.js';

/** A summary a reader takes in at a glance: one or two sentences. */
export const SUMMARY_MAX_CHARS = 160;

// Whole sentences only: a clause after ；is not a summary on its own.
const SENTENCE = /[^。！？!?]+[。！？!?]+[”’」』)）"']*|[^。！？!?]+$/gu;

// A dateline or byline at the head of a lead paragraph says who wrote it, not what happened.
const LEAD_PREFIX = /^\s*(?:本报讯|[\p{Script=Han}]{1,8}(?:\d{1,2}月\d{1,2}日)电)?\s*[(（][^)）]{0,30}[)）]\s*|^\s*本报讯\s*/u;

/** Removes a dateline such as 本报讯(记者 杨硕) from the start of a paragraph. */
export function stripDateline(paragraph: string): string {
  return paragraph.replace(LEAD_PREFIX, '').trim();
}

/**
 * An extractive summary: the sentences that carry most of the story's keywords, preferring the lead
 * (news puts the most important first), kept in reading order, at most two and {@link SUMMARY_MAX_CHARS}.
 */
export function summarize(paragraphs: readonly string[], keywords: ReadonlyArray<{ word: string; weight: number }>): string {
  const sentences: Array<{ text: string; position: number }> = [];
  for (const paragraph of paragraphs.slice(0, 8)) {
    for (const s of stripDateline(paragraph).match(SENTENCE) ?? []) {
      // A headline-like line without a full stop reads as a sentence once it has one.
      const text = /[。！？!?”’」』)）"']$/u.test(s.trim()) ? s.trim() : `${s.trim()}。`;
      if (text.length >= 8) sentences.push({ text, position: sentences.length });
    }
  }
  if (sentences.length === 0) return '';
  const top = keywords.slice(0, 15);
  const scored = sentences.map((s) => {
    const n = normalize(s.text);
    const hit = top.reduce((sum, k) => sum + (n.includes(k.word) ? k.weight : 0), 0);
    // Long sentences carry more words by length alone; the lead bonus fades over the first sentences.
    return { ...s, score: hit / Math.sqrt(Math.max(20, s.text.length)) + 0.3 / (1 + s.position) };
  });
  const ranked = [...scored].sort((a, b) => b.score - a.score);
  const chosen: typeof scored = [];
  let length = 0;
  for (const s of ranked) {
    if (chosen.length === 2) break;
    if (length + s.text.length > SUMMARY_MAX_CHARS && chosen.length > 0) continue;
    chosen.push(s);
    length += s.text.length;
  }
  const text = chosen.sort((a, b) => a.position - b.position).map((s) => s.text).join('');
  return text.length <= SUMMARY_MAX_CHARS ? text : `${text.slice(0, SUMMARY_MAX_CHARS - 1)}…`;
}
