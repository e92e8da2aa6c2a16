import { escapeMarkdown } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { escapeArticleText, escapeInline, maskedLink, plainText, safeUrl, urlText } from '../../src/discord/escape.js';
import { cutAtSentence } from '../../src/discord/limits.js';
import { withoutInvisibleControls } from '../../src/text/invisible-characters.js';
import { markupOf, readerText } from '../helpers/discord-markup.js';
import { HOSTILE_STRINGS, HOSTILE_URLS } from '../helpers/untrusted-fixtures.js';


/** What a reader should see of untrusted text: the text itself, less the invisible characters, with @everyone defused. */
const asShown = (text: string) => withoutInvisibleControls(text).replace(/@(everyone|here)/gi, '@\u200b$1');

describe('untrusted article text in Discord', () => {
  it.each(HOSTILE_STRINGS)('shows $name as plain text: no link, mention, style or layout of its own', ({ text }) => {
    const shown = escapeArticleText(text);
    expect(markupOf(shown)).toEqual([]);
    expect(readerText(shown)).toBe(asShown(text));
  });

  it.each(HOSTILE_STRINGS)('keeps $name on its one line in a headline or outlet name, as plain text', ({ text }) => {
    const shown = escapeInline(text);
    expect(shown).not.toContain('\n');
    expect(markupOf(shown)).toEqual([]);
    expect(readerText(shown)).toBe(asShown(text).replace(/\s+/g, ' ').trim());
  });

  it('shows the second masked link of a line as text too, which discord.js escapeMarkdown leaves live', () => {
    const line = HOSTILE_STRINGS.find((s) => s.name.includes('rel-02'))!.text;
    expect(markupOf(escapeArticleText(line))).toEqual([]);
    // The library's own escaping, which this module replaces: the second link stays clickable.
    const library = escapeMarkdown(line, { maskedLink: true });
    expect(markupOf(library)).toContainEqual(expect.objectContaining({ type: 'link', target: 'https://evil.example/phish' }));
  });

  it('never leaves a mention, a timestamp or a channel link from an article clickable, though the reader still reads it', () => {
    const shown = escapeArticleText('<@123456789012345678> <@&123456789012345678> <#123456789012345678> <t:0:R> @everyone');
    expect(markupOf(shown)).toEqual([]);
    expect(readerText(shown)).toBe('<@123456789012345678> <@&123456789012345678> <#123456789012345678> <t:0:R> @\u200beveryone');
  });

  it('removes a right-to-left override, so the bot’s own words after an article’s text read the right way round', () => {
    expect(readerText(escapeArticleText('文件 \u202egnp.exe'))).toBe('文件 gnp.exe');
    expect(plainText('三里河\u202e · 2025')).toBe('三里河 · 2025');
  });

  it('never cuts an escape in half, so a cut never escapes the bot’s own markup after it', () => {
    const shown = escapeArticleText('*'.repeat(300));
    for (let max = 10; max < 40; max++) {
      const cut = cutAtSentence(shown, max);
      expect(markupOf(`${cut}**粗体**`)).toEqual([{ type: 'strong', text: '粗体' }]);
    }
  });
});

describe('untrusted URLs in Discord', () => {
  it.each(HOSTILE_URLS)('links a title to $name only where the URL says, or not at all', ({ url }) => {
    const shown = maskedLink('标题 [置顶](https://evil.example/x)', url);
    const markup = markupOf(shown);
    const target = safeUrl(url);
    if (target === undefined) {
      expect(markup).toEqual([]);
    } else {
      // One link, the bot's, whose label is the whole title (brackets full-width) and whose target is the whole URL.
      expect(markup).toEqual([{ type: 'link', target, text: '标题 ［置顶］(https://evil.example/x)' }]);
      const [meant, linked] = [new URL(url.trim()), new URL(target)];
      expect(linked.host).toBe(meant.host);
      expect(decodeURIComponent(linked.pathname + linked.search + linked.hash)).toBe(decodeURIComponent(meant.pathname + meant.search + meant.hash));
    }
    expect(readerText(shown)).toContain('标题 ［置顶］(https://evil.example/x)');
  });

  it.each(HOSTILE_STRINGS)('keeps the bot’s title link a link whatever brackets the title holds: $name', ({ text }) => {
    const markup = markupOf(maskedLink(text, 'https://news.example/a'));
    expect(markup).toEqual([{ type: 'link', target: 'https://news.example/a', text: expect.any(String) }]);
    expect(markup[0]!.text).toBe(asShown(text).replace(/\s+/g, ' ').trim().replace(/\[/g, '［').replace(/\]/g, '］') || 'news.example');
  });

  it('closes the title link where the bot closes it, however the article URL tries to end it early (rel-03)', () => {
    const url = HOSTILE_URLS.find((u) => u.name.includes('rel-03'))!.url;
    expect(safeUrl(url)).toBe('https://news.example/x%29%5Bsupport.news.example%5D%28https://evil.example/y');
  });

  it('links only http and https URLs with a plain host, shown without a user name that could pose as the host', () => {
    expect(safeUrl('https://example.com/a')).toBe('https://example.com/a');
    expect(safeUrl('https://bank.example@evil.example/login')).toBe('https://evil.example/login');
    for (const refused of ['javascript:alert(1)', 'data:text/html,x', 'not a url', 'https://a(b).example/', 'file:///etc/passwd', '']) expect(safeUrl(refused), refused).toBeUndefined();
  });

  it.each(HOSTILE_URLS)('shows $name as itself in a feed list: clickable with no preview, or as plain text', ({ url }) => {
    const shown = urlText(url);
    const markup = markupOf(shown);
    const target = safeUrl(url);
    expect(markup).toEqual(target === undefined ? [] : [{ type: 'autolink', target, text: target }]);
  });
});
