import { splitSentences } from '../text/sentences.js';

/** Discord's message limits, in one place (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthor: 256,
  embedFields: 25,
  embedTotal: 6000,
  embedsPerMessage: 10,
  customId: 100,
  buttonLabel: 80,
  /** Autocomplete: choices in one answer, and characters in a choice's name and in its value. */
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  /** Every interaction, autocomplete included, must be answered within this many ms. */
  acknowledgeMs: 3000,
} as const;

/** One autocomplete suggestion as Discord takes it. */
export interface Choice {
  name: string;
  value: string;
}

/**
 * Suggestions within Discord's autocomplete limits: at most 25, each name and value 1–100 characters (a long name
 * is cut at a word with an ellipsis; a value that does not fit is dropped, since it would not mean the same thing).
 * Surrogate pairs are never split.
 */
export function fitChoices(choices: readonly Choice[]): Choice[] {
  const out: Choice[] = [];
  for (const c of choices) {
    if (out.length === DISCORD_LIMITS.autocompleteChoices) break;
    if (c.value.length === 0 || c.value.length > DISCORD_LIMITS.choiceValue) continue;
    const name = cutAtSentence(c.name, DISCORD_LIMITS.choiceName);
    if (name.length > 0) out.push({ name, value: c.value });
  }
  return out;
}

/**
 * A suggestion's name: `head` (a headline) cut so that `tail` (" · outlet · date") stays whole, all within a
 * choice name's 100 characters.
 */
export function choiceName(head: string, tail: string): string {
  if (tail.length >= DISCORD_LIMITS.choiceName) return cutAtSentence(head, DISCORD_LIMITS.choiceName);
  return cutAtSentence(head, DISCORD_LIMITS.choiceName - tail.length) + tail;
}

const ELLIPSIS = '…';

/**
 * Cuts text to at most `max` characters, preferring the end of a sentence, then a space, and only then
 * a hard cut; adds an ellipsis when something was cut. Never splits a surrogate pair.
 */
export function cutAtSentence(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  let out = '';
  for (const sentence of splitSentences(text)) {
    if (out.length + sentence.length > room) break;
    out += sentence;
  }
  // Keep a sentence cut only if it does not throw most of the room away.
  if (out.length >= room * 0.5) return out.trimEnd() + (out.length < text.length ? ELLIPSIS : '');
  let cut = text.slice(0, room);
  const space = cut.lastIndexOf(' ');
  if (space > room * 0.7) cut = cut.slice(0, space);
  // Do not leave half of a surrogate pair or an unbalanced markdown marker dangling.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  // Nor half of an escape: an odd backslash at the end would escape whatever the bot writes next.
  cut = cut.replace(/(?<!\\)((?:\\\\)*)\\$/, '$1');
  return balanceBold(cut) + ELLIPSIS;
}

// A cut inside **bold** would leave an opening marker that swallows the rest of the message.
function balanceBold(text: string): string {
  // A marker after an odd run of backslashes is escaped text; after an even run (an escaped backslash) it is markup.
  const markers = text.match(/(?<!(?:^|[^\\])\\(?:\\\\)*)\*\*/g)?.length ?? 0;
  return markers % 2 === 1 ? text.replace(/\*\*(?!.*\*\*)/s, '') : text;
}

export interface EmbedLike {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  footer?: { text: string };
  author?: { name: string };
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  timestamp?: string;
}

/** Makes an embed fit every per-field limit and the 6000-character total; fields that do not fit are dropped whole. */
export function fitEmbed(embed: EmbedLike): EmbedLike {
  const out: EmbedLike = { ...embed };
  if (out.title !== undefined) out.title = cutAtSentence(out.title, DISCORD_LIMITS.embedTitle);
  if (out.description !== undefined) out.description = cutAtSentence(out.description, DISCORD_LIMITS.embedDescription);
  if (out.footer) out.footer = { text: cutAtSentence(out.footer.text, DISCORD_LIMITS.embedFooter) };
  if (out.author) out.author = { name: cutAtSentence(out.author.name, DISCORD_LIMITS.embedAuthor) };
  let total = embedLength(out);
  if (out.fields) {
    const fields: NonNullable<EmbedLike['fields']> = [];
    for (const f of out.fields.slice(0, DISCORD_LIMITS.embedFields)) {
      const field = { ...f, name: cutAtSentence(f.name, DISCORD_LIMITS.embedFieldName), value: cutAtSentence(f.value, DISCORD_LIMITS.embedFieldValue) };
      fields.push(field);
    }
    out.fields = fields;
    total = embedLength(out);
    while (total > DISCORD_LIMITS.embedTotal && out.fields.length > 0) {
      out.fields.pop();
      total = embedLength(out);
    }
  }
  if (total > DISCORD_LIMITS.embedTotal && out.description) {
    out.description = cutAtSentence(out.description, Math.max(0, out.description.length - (total - DISCORD_LIMITS.embedTotal)));
  }
  return out;
}

export function embedLength(e: EmbedLike): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** Message content within the 2000-character limit. */
export function fitContent(content: string): string {
  return cutAtSentence(content, DISCORD_LIMITS.content);
}
