import type { APIEmbed } from 'discord.js';
import type { Digest, DigestItem } from '../digest/build-digest.js';
import type { DigestContext } from '../digest/digest-service.js';
import { escapeArticleText, escapeLinkLabel, safeUrl } from './escape.js';
import { cutAtSentence, DISCORD_LIMITS, embedLength, fitEmbed, type EmbedLike } from './limits.js';

export interface DigestMessage {
  content?: string;
  embeds: APIEmbed[];
}

export const DIGEST_COLOR = 0xc05621;

function itemField(item: DigestItem): { name: string; value: string } {
  const sources = item.sources
    .map((s) => {
      const url = safeUrl(s.url);
      const name = escapeLinkLabel(s.source);
      return url ? `[${name}](${url})` : name;
    })
    .join(' · ');
  const outlets = item.sources.length > 1 ? ` — ${item.sources.length} 家媒体 / outlets` : '';
  const summary = cutAtSentence(escapeArticleText(item.summary), DISCORD_LIMITS.embedFieldValue - sources.length - 2);
  return {
    name: cutAtSentence(`■ ${item.headline}${outlets}`, DISCORD_LIMITS.embedFieldName),
    value: `${summary}\n${sources}`.trim() || '—',
  };
}

/**
 * A digest as Discord messages: one embed per message, one field per story, as many stories per message as
 * fit Discord's limits (25 fields, 6000 characters); a story is never split across messages.
 */
export function renderDigest(digest: Digest, ctx: DigestContext): DigestMessage[] {
  const header = `今日新闻 · ${ctx.localDay}`;
  const late = ctx.late ? ` · 延迟发送 / sent late (scheduled ${ctx.subscription.time} ${ctx.subscription.timezone})` : '';
  if (digest.items.length === 0) {
    return [{ content: `${header}: 没有新文章 / no new articles since the last digest${ctx.subscription.keywords.length ? ` matching ${ctx.subscription.keywords.join(', ')}` : ''}.${late}`, embeds: [] }];
  }
  const pages: EmbedLike[] = [];
  let page: EmbedLike | undefined;
  for (const item of digest.items) {
    const field = itemField(item);
    const fits = page && (page.fields?.length ?? 0) < DISCORD_LIMITS.embedFields && embedLength(page) + field.name.length + field.value.length <= DISCORD_LIMITS.embedTotal - 100;
    if (!page || !fits) {
      page = { color: DIGEST_COLOR, fields: [] };
      pages.push(page);
    }
    page.fields!.push(field);
  }
  return pages.map((p, i) => {
    const title = `${header} (${digest.items.length} ${digest.items.length === 1 ? 'story' : 'stories'})${pages.length > 1 ? ` ${i + 1}/${pages.length}` : ''}`;
    return { embeds: [fitEmbed({ ...p, title, ...(i === pages.length - 1 && late ? { footer: { text: late.slice(3) } } : {}) }) as APIEmbed] };
  });
}
