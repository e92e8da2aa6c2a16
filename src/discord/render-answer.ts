import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import { translator, type Translate } from '../i18n/i18n.js';
import type { AnswerPassage, AskOutcome } from '../search/ask.js';
import type { Period } from '../search/period.js';
import { bestExcerpt } from '../search/excerpt.js';
import { markSpans } from '../search/highlight.js';
import { encodeAskPage, hashQuestion } from './ask-paging.js';
import { escapeArticleText, escapeInline, maskedLink, plainText } from './escape.js';
import { fitEmbed, type EmbedLike } from './limits.js';

export const ANSWER_COLOR = 0x2b6cb0;
/** How much of a passage an answer shows: a glance, not a page. */
export const EXCERPT_CHARS = 220;
export const PAGE_SIZE = 3;

export interface RenderedReply {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
}

function renderPassage(p: AnswerPassage, rank: number, t: Translate): string {
  const excerpt = bestExcerpt(p.text, p.highlights, EXCERPT_CHARS);
  const body =
    (excerpt.cutBefore ? '…' : '') + markSpans(excerpt.text, excerpt.highlights, '**', '**', escapeArticleText) + (excerpt.cutAfter ? '…' : '');
  const heading = maskedLink(p.title ?? t('common.untitled'), p.url);
  return `**${rank}** ${body}\n${heading} · ${escapeInline(p.source)} · ${p.publishedDay}`;
}

/**
 * The /ask answer: one embed with the passages and their sources, and buttons to page through more. The bot's own
 * words (buttons, "untitled") in `opts.t`'s language (default English); passages and titles as written.
 */
export function renderAnswer(outcome: AskOutcome, opts: { hide: boolean; source?: string; period?: Period; t?: Translate }): RenderedReply {
  const t = opts.t ?? translator();
  const period = opts.period && opts.period !== 'any' ? opts.period : undefined;
  // The message quotes the indexed outlets' names (and the question): shown as the plain text it is.
  if (outcome.kind !== 'hits') return { content: escapeArticleText(outcome.message), embeds: [], components: [] };
  const from = outcome.offset + 1;
  const to = outcome.offset + outcome.passages.length;
  const embed: EmbedLike = {
    title: outcome.question,
    description: outcome.passages.map((p, i) => renderPassage(p, from + i, t)).join('\n\n'),
    color: ANSWER_COLOR,
    // The outlet as indexed ("三里河"), not as typed (a traditional or differently spaced spelling also matches).
    footer: {
      text: [
        `${from}–${to} / ${outcome.totalArticles}`,
        ...(opts.source ? [plainText(outcome.passages[0]?.source ?? opts.source)] : []),
        ...(period ? [t(`period.${period}`)] : []),
        'newsdesk',
      ].join(' · '),
    },
  };
  const fitted = fitEmbed(embed);
  // The "more" button reads the question back from the title as Discord shows it, so the hash is of that title.
  const hash = hashQuestion(fitted.title ?? '');
  const page = (offset: number) => encodeAskPage({ offset, hide: opts.hide, questionHash: hash, ...(opts.source ? { source: opts.source } : {}), ...(period ? { period } : {}) });
  const buttons: APIButtonComponent[] = [];
  if (outcome.offset > 0) {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: t('ask.back'), custom_id: page(Math.max(0, outcome.offset - PAGE_SIZE)) });
  }
  buttons.push({
    type: ComponentType.Button,
    style: ButtonStyle.Primary,
    label: t('ask.more'),
    custom_id: page(to),
    disabled: !outcome.hasMore,
  });
  return { embeds: [fitted as APIEmbed], components: [{ type: ComponentType.ActionRow, components: buttons }] };
}
