import { afterEach, describe, expect, it } from 'vitest';
import { renderAnswer } from '../../src/discord/render-answer.js';
import { silentLogger } from '../../src/log.js';
import { Newsdesk } from '../../src/newsdesk.js';
import { writeJsonl } from '../helpers/articles.js';
import { markupOf, readerText } from '../helpers/discord-markup.js';
import { foreignMarkup, HOSTILE_KEYWORD, hostileArticles } from '../helpers/hostile-news.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { fixturePath } from '../helpers/untrusted-fixtures.js';

const tempDir = useTempDir();
let desk: Newsdesk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

async function deskWith(paths: string[]): Promise<Newsdesk> {
  desk = await Newsdesk.open({ dataDir: tempDir(), log: silentLogger });
  await desk.ingest(paths);
  return desk;
}

describe('the /ask answer embed with untrusted articles', () => {
  it('shows a second masked link in an article’s text as text, not as a live link (rel-02)', async () => {
    const d = await deskWith([fixturePath('rel-02-masked-link-in-article-text.jsonl')]);
    const description = renderAnswer(await d.ask('MLX 领取奖励', { top: 3 }), { hide: false }).embeds[0]!.description!;
    expect(markupOf(description).filter((m) => m.type !== 'strong')).toEqual([]);
    // The reader still reads what the article wrote.
    expect(readerText(description)).toContain('[安全链接](https://evil.example/phish)');
  });

  it('links the title to the article’s URL whole, so the URL cannot close the link and add its own (rel-03)', async () => {
    const d = await deskWith([fixturePath('rel-03-article-url-breaks-out-of-link.jsonl')]);
    const description = renderAnswer(await d.ask('URLX 普通的新闻', { top: 3 }), { hide: false }).embeds[0]!.description!;
    const links = markupOf(description).filter((m) => m.type === 'link');
    expect(links).toEqual([{ type: 'link', text: '正常标题', target: 'https://news.example/x%29%5Bsupport.news.example%5D%28https://evil.example/y' }]);
  });

  it('shows every hostile title, outlet and text on every page as plain text, with only the bot’s own bold and title links', async () => {
    const d = await deskWith([writeJsonl(tempDir(), hostileArticles())]);
    let offset = 0;
    let pages = 0;
    for (;;) {
      const outcome = await d.ask(HOSTILE_KEYWORD, { top: 3, offset });
      expect(outcome.kind).toBe('hits');
      if (outcome.kind !== 'hits') break;
      const embed = renderAnswer(outcome, { hide: false, source: outcome.passages[0]!.source }).embeds[0]!;
      expect(foreignMarkup(embed.description!)).toEqual([]);
      // A footer shows no markdown: only the invisible and control characters go, and it stays one line.
      expect(embed.footer!.text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\n]/);
      pages++;
      if (!outcome.hasMore) break;
      offset += outcome.passages.length;
    }
    expect(pages).toBeGreaterThanOrEqual(10);
  });

  it('names hostile outlets as plain text when nothing matches or the outlet asked for is not indexed', async () => {
    const d = await deskWith([writeJsonl(tempDir(), hostileArticles())]);
    for (const outcome of [await d.ask('量子计算机'), await d.ask(HOSTILE_KEYWORD, { source: '新华社' })]) {
      expect(outcome.kind).toBe('no-match');
      const { content } = renderAnswer(outcome, { hide: false });
      expect(readerText(content!)).toContain('官方通知');
      expect(markupOf(content!)).toEqual([]);
    }
  });
});
