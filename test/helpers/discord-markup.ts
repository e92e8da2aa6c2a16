import { parse } from 'discord-markdown-parser';

/**
 * How a Discord client reads a message: discord-markdown-parser (simple-markdown with Discord's rules, the parser
 * Discord's own client is built on) in its "extended" mode, which reads masked links as embeds and webhooks do.
 * It does not know lists or emoji short codes, so those are looked for line by line here.
 */

export interface Markup {
  /** The parser's node type: 'link', 'url', 'autolink', 'strong', 'everyone', 'user', 'timestamp', 'heading', 'list'… */
  type: string;
  /** Where a link goes. */
  target?: string;
  /** The text the reader sees inside it. */
  text: string;
}

interface Node {
  type: string;
  content?: string | Node[];
  target?: string;
  [key: string]: unknown;
}

/** Node types that are only text to the reader (twemoji: a Unicode emoji character shown as itself). */
const TEXT_NODES = new Set(['text', 'br', 'newline', 'twemoji']);

function textOf(nodes: string | Node[] | undefined): string {
  if (typeof nodes === 'string') return nodes;
  return (nodes ?? []).map((n) => (n.type === 'br' || n.type === 'newline' ? '\n' : n.type === 'twemoji' ? String(n['name']) : textOf(n.content))).join('');
}

function collect(nodes: Node[], out: Markup[]): void {
  for (const n of nodes) {
    if (!TEXT_NODES.has(n.type)) out.push({ type: n.type, text: textOf(n.content), ...(n.target !== undefined ? { target: n.target } : {}) });
    if (Array.isArray(n.content)) collect(n.content, out);
  }
}

/** Every line start that a client shows as a list item (the parser has no list rule): `- `, `* `, `+ `, `1. `, `1) `. */
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d+[.)])[ \t]/;
/** An emoji short code (`:smile:`) with neither colon escaped: clients turn these into emoji. */
const SHORT_CODE = /(?<!\\):[a-z0-9_+-]+(?<!\\):/i;

/** Every piece of markup a reader of `markdown` sees, outermost first; plain text and escapes are not markup. */
export function markupOf(markdown: string): Markup[] {
  const out: Markup[] = [];
  collect(parse(markdown, 'extended') as Node[], out);
  for (const line of markdown.split('\n')) {
    if (LIST_ITEM.test(line)) out.push({ type: 'list', text: line });
    // Link targets are not read for emoji: leave them out (the bot's own never hold a ")" or a space).
    const code = SHORT_CODE.exec(line.replace(/\\\\/g, '').replace(/\]\([^)\s]*\)|<https?:[^>\s]*>/g, ''));
    if (code) out.push({ type: 'emoji-short-code', text: code[0] });
  }
  return out;
}

/** The text a reader sees: markup and escapes rendered away, links shown as their labels. */
export function readerText(markdown: string): string {
  return textOf(parse(markdown, 'extended') as Node[]);
}
