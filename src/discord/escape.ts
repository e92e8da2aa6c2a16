import { escapeMarkdown } from 'discord.js';

/**
 * Makes untrusted article text safe to show: Discord markdown is escaped so it cannot break the layout,
 * and mention syntax is defused so it does not even look like a ping (allowedMentions stops the ping itself).
 */
export function escapeArticleText(text: string): string {
  return defuseMentions(escapeMarkdown(text, { bulletedList: true, heading: true, numberedList: true, maskedLink: true }));
}

const ZERO_WIDTH_SPACE = '\u200b';

/** User and role mentions and @everyone/@here are defused; channel links (<#id>) never ping and stay clickable. */
export function defuseMentions(text: string): string {
  return text
    .replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`)
    .replace(/<(@[!&]?)(\d+)>/g, `<$1${ZERO_WIDTH_SPACE}$2>`);
}

/** Text for a masked link's label: brackets would end the label early. */
export function escapeLinkLabel(text: string): string {
  return escapeArticleText(text).replace(/[[\]]/g, (c) => `\\${c}`);
}

/** Only http(s) links are shown as links; anything else stays plain text. */
export function safeUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString().replace(/[()]/g, (c) => encodeURIComponent(c)) : undefined;
  } catch {
    return undefined;
  }
}
