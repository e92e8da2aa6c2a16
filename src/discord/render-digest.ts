import type { APIEmbed } from 'discord.js';
import type { Digest, DigestItem } from '../digest/build-digest.js';
import type { DigestContext } from '../digest/digest-service.js';
import { quotedList, translator, type Translate } from '../i18n/i18n.js';
import { escapeArticleText, escapeInline, maskedLink } from './escape.js';
import { cutAtSentence, DISCORD_LIMITS, embedLength, fitEmbed, type EmbedLike } from './limits.js';

export interface DigestMessage {
  content?: string;
  embeds: APIEmbed[];
}

export const DIGEST_COLOR = 0xc05621;

/** At most this much of a story's 1024 characters goes to its outlets, so the summary always keeps room. */
const SOURCES_ROOM = 400;

/** The outlets of a story, linked when that fits; else their names only, which are never cut inside a link. */
function sourcesLine(item: DigestItem): string {
  const names = item.sources.map((s) => escapeInline(s.source));
  const linked = item.sources.map((s) => maskedLink(s.source, s.url)).join(' · ');
  if (linked.length <= SOURCES_ROOM) return linked;
  const plain = names.join(' · ');
  return plain.length <= SOURCES_ROOM ? plain : cutAtSentence(plain, SOURCES_ROOM);
}

function itemField(item: DigestItem, t: Translate): { name: string; value: string } {
  const sources = sourcesLine(item);
  const outlets = item.sources.length > 1 ? ` — ${t('digest.outlets', { count: item.sources.length })}` : '';
  const summary = cutAtSentence(escapeArticleText(item.summary), DISCORD_LIMITS.embedFieldValue - sources.length - 1);
  return {
    // A long headline is cut, not the count of outlets after it.
    name: `■ ${cutAtSentence(escapeInline(item.headline), DISCORD_LIMITS.embedFieldName - 2 - outlets.length)}${outlets}`,
    value: `${summary}\n${sources}`.trim() || '—',
  };
}

/**
 * A digest as Discord messages: one embed per message, one field per story, as many stories per message as
 * fit Discord's limits (25 fields, 6000 characters); a story is never split across messages. The bot's own words
 * (header, counts, "sent late", "no new articles") in the subscription's language; stories as written.
 */
export function renderDigest(digest: Digest, ctx: DigestContext): DigestMessage[] {
  const t = translator(ctx.subscription.locale);
  const header = t('digest.header', { day: ctx.localDay });
  const late = ctx.late ? t('digest.late', { time: ctx.subscription.time, zone: ctx.subscription.timezone }) : '';
  if (digest.items.length === 0) {
    const keywords = ctx.subscription.keywords;
    const line = keywords.length ? t('digest.nothingNewAbout', { header, keywords: quotedList(t, keywords) }) : t('digest.nothingNew', { header });
    return [{ content: late ? t('digest.withLate', { line, late }) : line, embeds: [] }];
  }
  const count = t('common.stories', { count: digest.items.length });
  const title = (page: number, pages: number) => `${t('digest.headerCount', { header, stories: count })}${pages > 1 ? ` ${page}/${pages}` : ''}`;
  // The title and the footer count toward the 6000 as well: keep room for the longest title (there are never more
  // pages than stories) and the footer, so fitEmbed never has to drop a story that was placed on the page.
  const room = DISCORD_LIMITS.embedTotal - title(digest.items.length, digest.items.length).length - late.length;
  const pages: EmbedLike[] = [];
  let page: EmbedLike | undefined;
  for (const item of digest.items) {
    const field = itemField(item, t);
    const fits = page && (page.fields?.length ?? 0) < DISCORD_LIMITS.embedFields && embedLength(page) + field.name.length + field.value.length <= room;
    if (!page || !fits) {
      page = { color: DIGEST_COLOR, fields: [] };
      pages.push(page);
    }
    page.fields!.push(field);
  }
  return pages.map((p, i) => {
    const last = i === pages.length - 1;
    return { embeds: [fitEmbed({ ...p, title: title(i + 1, pages.length), ...(last && late ? { footer: { text: late } } : {}) }) as APIEmbed] };
  });
}
