import type { UntrustedDisplay } from '../feeds/describe-feed.js';
import { withoutInvisibleControls } from '../text/invisible-characters.js';

/*
 * Everything an article, a feed or a remote server wrote is untrusted: shown in Discord it must read as the text it
 * is, never as markup the bot did not write (a live link, a mention, a heading, a spoiler). This module is the one
 * place that makes untrusted text and URLs safe for Discord; every renderer goes through it.
 *
 * Why not discord.js's escapeMarkdown: its masked-link rule escapes only the first "[" of a line's greedy match, so
 * the second masked link on a line stays live, and it leaves "<…>" (mentions, timestamps, autolinks), ":" (links,
 * emoji) and "\" itself alone. Discord's parser (simple-markdown's escape rule, /^\\([^0-9A-Za-z\s])/) shows a
 * backslash followed by any punctuation as that character alone, so escaping every character that can start or take
 * part in markup is lossless for the reader.
 */

/** Characters that take part in Discord markdown anywhere in a line: styles, code, spoilers, links, mentions. */
const INLINE_MARKUP = /[\\*_~`|[\]()<>:@#]/g;
/** Markup that counts only at the start of a line: list bullets (`-`, `+`), subtext (`-#`), numbered lists (`1.`). */
const LINE_START_MARKUP = /^([ \t]*)([-+]|\d+\.)/gm;

const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Untrusted text (an article's passage, a summary) as Discord markdown that shows exactly that text: invisible and
 * control characters removed (see `withoutInvisibleControls`), every markdown-significant character
 * backslash-escaped, `@everyone`/`@here` defused. Line breaks are kept. The result is longer than the input
 * (one backslash per escaped character), in UTF-16 code units; cut it with `cutAtSentence`, which never leaves
 * half an escape.
 */
export function escapeArticleText(text: string): string {
  const escaped = withoutInvisibleControls(text)
    .replace(INLINE_MARKUP, '\\$&')
    // After the inline pass, so the backslashes added here are not escaped again.
    .replace(LINE_START_MARKUP, (_, indent: string, mark: string) => indent + (mark.endsWith('.') ? `${mark.slice(0, -1)}\\.` : `\\${mark}`));
  return defuseMentions(escaped);
}

/**
 * Untrusted text that stands on one line of the bot's layout (a headline, an outlet or feed name, a link label, an
 * error a server sent): like `escapeArticleText`, with every run of white space, line breaks included, made one
 * space, so it can neither start a line of its own nor end a link label early.
 */
export function escapeInline(text: string): string {
  return escapeArticleText(oneLine(text));
}

/**
 * Text for a masked link's label: one line, escaped, with square brackets shown as full-width ［］. Discord's link
 * rule reads a label's brackets before any escape (simple-markdown's LINK_INSIDE accepts only balanced pairs), so one
 * unbalanced bracket, even escaped, would stop the bot's own link from being a link at all.
 */
export function escapeLinkLabel(text: string): string {
  return escapeInline(text.replace(/\[/g, '［').replace(/\]/g, '］'));
}

/**
 * Untrusted text for the parts of a message Discord shows without markdown (an embed's footer or author): no
 * escaping, which would show as backslashes, only invisible and control characters removed, on one line.
 */
export function plainText(text: string): string {
  return oneLine(text);
}

function oneLine(text: string): string {
  return withoutInvisibleControls(text).replace(/\s+/g, ' ').trim();
}

/**
 * User and role mentions and @everyone/@here are defused in text that also carries the bot's own markup (a reply that
 * names a channel as <#id>): allowedMentions stops the ping, this stops the text looking like one. Channel links
 * (<#id>) never ping and stay clickable.
 */
export function defuseMentions(text: string): string {
  return text
    .replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`)
    .replace(/<(@[!&]?)(\d+)>/g, `<$1${ZERO_WIDTH_SPACE}$2>`);
}

/** A host as WHATWG URL serialises it, held to what DNS names and address literals can hold: no markup can hide in it. */
const PLAIN_HOST = /^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;
/** What could end a link target early or change how it is read: parentheses, brackets, angle brackets, quotes, backslash, space. */
const TARGET_BREAKERS = /[()[\]<>"'`\\ \t\n\f\r\v]/g;

/**
 * An untrusted URL as a link target the bot can put inside `(…)` or `<…>`, or undefined when it is not one the bot
 * links to. The URL must parse by the WHATWG URL Standard (https://url.spec.whatwg.org/, Node's `URL`), be http or
 * https, and have a plain host (a DNS name in ASCII, punycode for others, or an address literal); it is
 * re-serialised without user name or password (`https://bank.example@evil.example/` shows as the host it goes to),
 * with parentheses, brackets, angle brackets, quotes, backslashes and white space percent-encoded, so the target can
 * only end where the bot ends it.
 */
export function safeUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !PLAIN_HOST.test(parsed.host)) return undefined;
  const rest = (parsed.pathname + parsed.search + parsed.hash).replace(TARGET_BREAKERS, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `${parsed.protocol}//${parsed.host}${rest}`;
}

/**
 * `[label](url)` from an untrusted label and URL, the only way the bot writes a masked link: the label escaped on
 * one line, the URL through `safeUrl`. When the URL is not one the bot links to, just the escaped label. An empty
 * label (nothing visible in it) shows the link's host instead, so a link is never invisible.
 */
export function maskedLink(label: string, url: string | null | undefined): string {
  const target = safeUrl(url);
  const text = escapeLinkLabel(label);
  if (!target) return text;
  return `[${text || escapeLinkLabel(new URL(target).host)}](${target})`;
}

/**
 * An untrusted URL shown as itself: `<url>` (clickable, with no preview) when it passes `safeUrl`, else as escaped
 * text that links nowhere.
 */
export function urlText(url: string): string {
  const target = safeUrl(url);
  return target ? `<${target}>` : escapeInline(url);
}

/** A feed's name, URL and last error as Discord markdown (see `describeFeed`). */
export const DISCORD_DISPLAY: UntrustedDisplay = { text: escapeInline, url: urlText };
