import type { AskOutcome, AnswerPassage } from '../search/ask.js';
import { markSpans } from '../search/highlight.js';
import { terminalText } from './terminal-text.js';

export interface RenderStyle {
  open: string;
  close: string;
}

export const ANSI_BOLD: RenderStyle = { open: '\u001b[1;33m', close: '\u001b[0m' };
export const PLAIN_MARKS: RenderStyle = { open: '【', close: '】' };

/** The terminal view of an answer: each passage with its matched terms marked, then where it comes from. */
export function renderAnswer(outcome: AskOutcome, style: RenderStyle): string {
  switch (outcome.kind) {
    case 'hits':
      return outcome.passages.map((p, i) => renderPassage(p, outcome.offset + i + 1, style)).join('\n\n') +
        (outcome.hasMore ? `\n\n(${outcome.totalArticles - outcome.offset - outcome.passages.length} more: add --top or --offset)` : '');
    case 'no-match':
    case 'empty-query':
    case 'too-long':
      // The message can name indexed outlets, which articles wrote.
      return terminalText(outcome.message);
  }
}

function renderPassage(p: AnswerPassage, rank: number, style: RenderStyle): string {
  // Article text is cleaned piece by piece, so the highlight offsets (into the text as stored) still fit.
  const text = markSpans(p.text, p.highlights, style.open, style.close, terminalText);
  const where = [p.title ?? '(untitled)', p.source, p.publishedDay, p.url].filter(Boolean).map((s) => terminalText(s!)).join(' · ');
  return `${rank}. ${text}\n   — ${where}`;
}

/** The JSON shape scripts and evaluations rely on (`--json`, one line per question with `--jsonl`). */
export function answerJson(outcome: AskOutcome): Record<string, unknown> {
  const base: Record<string, unknown> = { question: outcome.question, kind: outcome.kind };
  if (outcome.kind !== 'hits') {
    base['message'] = outcome.message;
    base['passages'] = [];
    return base;
  }
  base['passages'] = outcome.passages.map((p) => ({
    text: p.text,
    title: p.title,
    source: p.source,
    url: p.url,
    // The article's local day, as every answer shows it (the documented shape: YYYY-MM-DD).
    publishedAt: p.publishedDay,
    score: p.score,
    articleId: p.articleId,
    highlights: p.highlights,
  }));
  return base;
}
