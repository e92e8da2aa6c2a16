import iconv from 'iconv-lite';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderIngestSummary } from '../../src/cli/ingest-report.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { openStore } from '../../src/store/open-store.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const now = () => new Date('2025-08-01T00:00:00Z');

/** Ingests the named fixtures (copied into a fresh folder) and returns what the store then holds. */
async function ingest(files: Record<string, string | Buffer>, hints: { source?: string; date?: string } = {}) {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    if (typeof content === 'string' && content.startsWith('fixture:')) copyFileSync(content.slice('fixture:'.length), path);
    else writeFileSync(path, content);
  }
  const store = await openStore({ dataDir: join(dir, 'data') });
  try {
    const summary = await ingestFiles(store, [dir], { now, zone: 'Asia/Shanghai', hints, exclude: [join(dir, 'data')] });
    const articles = await Promise.all((await store.latest(20)).map(async (a) => ({ ...a, paragraphs: await store.articleParagraphs(a.id) })));
    return { summary, articles, report: renderIngestSummary(summary) };
  } finally {
    await store.close();
  }
}

describe('ingesting files in legacy Chinese encodings', () => {
  it('stores one-line GBK flash headlines as written and says the encoding was guessed (case 13)', async () => {
    const { summary, articles, report } = await ingest(
      { 'flash-1.txt': 'fixture:test/fixtures/encoding/flash-1.txt', 'flash-2.txt': 'fixture:test/fixtures/encoding/flash-2.txt' },
      { source: '快讯台', date: '2025-02-14' },
    );
    expect(articles.flatMap((a) => a.paragraphs).sort()).toEqual(['台风登陆广东', '快讯：央行宣布降准']);
    expect(summary.guessedEncodings.map((g) => g.encoding)).toEqual(['gb18030', 'gb18030']);
    expect(report).toMatch(/Guessed the encoding of 2 files/);
    expect(report).toMatch(/flash-1\.txt: GB18030\/GBK \(8 of 8 Chinese characters common; as Big5 \d of 8\)/);
  });

  it('skips a Shift_JIS file by name with its reason and stores nothing of it', async () => {
    const japanese = iconv.encode('東京都で地震が発生しました。気象庁によると、震源の深さは約10キロ。', 'shift_jis');
    const { summary, articles, report } = await ingest({ 'tokyo.txt': japanese, 'ok.txt': '台风登陆广东，多地停课。' }, { source: '测试' });
    expect(articles.map((a) => a.paragraphs.join(''))).toEqual(['台风登陆广东，多地停课。']);
    expect(summary.skipped.filter((s) => s.file.endsWith('tokyo.txt'))).toHaveLength(1);
    expect(report).toMatch(/tokyo\.txt looks like Japanese \(Shift_JIS\) text, which newsdesk does not read/);
  });
});

describe('ingesting saved web pages', () => {
  it('titles pages with the headline, not the site suffix (case 14)', async () => {
    const { articles } = await ingest({ 'sina.html': 'fixture:test/fixtures/pages/sina-style.html', 'people.html': 'fixture:test/fixtures/pages/people-style.html' });
    expect(articles.map((a) => a.title).sort()).toEqual(['一月份居民消费价格同比上涨0.5%', '央行宣布下调存款准备金率']);
  });

  it('dates a government page by its PubDate and names its ContentSource, not the ingest day and unknown (case 15)', async () => {
    const { articles } = await ingest({ 'gov.html': 'fixture:test/fixtures/pages/gov-page.html' });
    expect(articles).toHaveLength(1);
    expect(articles[0]).toMatchObject({ title: '国务院常务会议研究部署稳外资政策措施', source: '新华社' });
    expect(articles[0]!.publishedDay).toBe('2025-02-14');
  });

  it("keeps the page's own outlet over --source", async () => {
    const { articles } = await ingest({ 'info.html': 'fixture:test/fixtures/pages/info-line-page.html' }, { source: '我的收藏' });
    expect(articles[0]!.source).toBe('示例日报');
  });

  it('falls back to the sidecar, then --source, then unknown for a page that names no outlet', async () => {
    const page = 'fixture:test/fixtures/pages/plain-page.html';
    expect((await ingest({ 'p.html': page, 'p.meta.json': JSON.stringify({ source: '街道简报' }) }, { source: '我的收藏' })).articles[0]!.source).toBe('街道简报');
    expect((await ingest({ 'p.html': page }, { source: '我的收藏' })).articles[0]!.source).toBe('我的收藏');
    expect((await ingest({ 'p.html': page })).articles[0]!.source).toBe('unknown');
  });
});

describe('ingesting traditional-script news', () => {
  it('reads outlet, place and date from a CNA dateline as from a simplified one', async () => {
    const text = '高雄港貨櫃量創新高\n\n（中央社記者王小明高雄6日電）高雄港務分公司今天公布，今年上半年貨櫃裝卸量創下歷史新高，轉口貨櫃成長是主要原因。\n\n港務公司表示，下半年將持續擴充碼頭設施。\n';
    const { articles } = await ingest({ 'cna.txt': text }, { date: '2025-07-20' });
    expect(articles).toHaveLength(1);
    expect(articles[0]).toMatchObject({ title: '高雄港貨櫃量創新高', source: '中央社', reporter: '王小明' });
    expect(articles[0]!.publishedDay).toBe('2025-07-06');
  });
});

describe('what a folder walk skips', () => {
  it('names every file it does not read, with the reason: other types, hidden files', async () => {
    const { summary, articles, report } = await ingest(
      { 'news.txt': '台风登陆广东，多地停课。', 'report.pdf': '%PDF-1.4', 'table.csv': 'a,b\n1,2', '.DS_Store': 'x', 'news.meta.json': '{"source":"测试"}' },
    );
    expect(articles.map((a) => a.source)).toEqual(['测试']);
    const skipped = summary.skipped.map((s) => `${s.file.split('/').pop()}: ${s.reason}`).sort();
    expect(skipped).toEqual([
      '.DS_Store: hidden, not read',
      expect.stringMatching(/^report\.pdf: PDF is not read/),
      expect.stringMatching(/^table\.csv: CSV is not read/),
    ]);
    expect(report).toMatch(/report\.pdf: PDF is not read/);
  });
});
