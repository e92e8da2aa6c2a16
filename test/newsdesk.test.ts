import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Newsdesk, SAMPLES_DIR } from '../src/newsdesk.js';
import { runNode } from './helpers/run-node.js';
import { recordingLogger, useTempDir } from './helpers/temp-dir.js';

const tempDir = useTempDir();

async function samplesDesk() {
  const desk = await Newsdesk.open({ dataDir: tempDir(), log: recordingLogger(), now: () => new Date('2025-02-20T00:00:00Z') });
  const summary = await desk.ingest([SAMPLES_DIR]);
  return { desk, summary };
}

describe('the bundled sample news', () => {
  it('becomes six articles: one from the web page, five from the newspaper page', async () => {
    const { desk, summary } = await samplesDesk();
    expect(summary).toMatchObject({ files: 2, articles: 6, skipped: [] });
    const titles = (await desk.latest(10)).map((a) => a.title);
    expect(titles).toEqual(
      expect.arrayContaining(['“特斯拉速度”刷新,外企与中国市场双向奔赴', '特斯拉上海储能超级工厂投产', '上海企业获中国植入式脑机接口最大一笔融资', '「双子星」航运联盟上海港首航']),
    );
    expect((await desk.sources()).map((s) => s.source).sort()).toEqual(['三里河', '本报']);
    await desk.close();
  });

  it('answers the quick-start question with both reports of the factory', async () => {
    const { desk } = await samplesDesk();
    const outcome = await desk.ask('特斯拉上海储能超级工厂用了多久建成?');
    expect(outcome.kind).toBe('hits');
    if (outcome.kind !== 'hits') return;
    const texts = outcome.passages.map((p) => p.text).join('\n');
    expect(texts).toContain('用时仅7个月即竣工');
    expect(texts).toContain('仅仅9个月时间');
    await desk.close();
  });

  it('finds simplified text from a question typed in traditional characters, and the reverse', async () => {
    const { desk } = await samplesDesk();
    const traditional = await desk.ask('特斯拉儲能超級工廠的規劃年產能是多少?');
    expect(traditional.kind === 'hits' && traditional.passages.some((p) => p.text.includes('规划年产能为1万台'))).toBe(true);
    await desk.close();
  });

  it('answers by a Latin name or a number alone', async () => {
    const { desk } = await samplesDesk();
    for (const [q, expected] of [['Megapack', 'Megapack'], ['40GWh', '40GWh'], ['Neuralink', 'Neuralink'], ['289.87', '289.87万户']] as const) {
      const outcome = await desk.ask(q);
      expect(outcome.kind === 'hits' && outcome.passages[0]!.text.includes(expected), q).toBe(true);
    }
    await desk.close();
  });

  it('marks the matched words in each passage as offsets into the stored text', async () => {
    const { desk } = await samplesDesk();
    const outcome = await desk.ask('Megapack 产量');
    if (outcome.kind !== 'hits') throw new Error(outcome.kind);
    const p = outcome.passages[0]!;
    // touching matches are merged into one mark, so bold markers never meet as ****
    const marked = p.highlights.map(([s, e]) => p.text.slice(s, e));
    expect(marked).toContain('Megapack产量');
    expect(p.text.slice(0, p.highlights[0]![0])).not.toMatch(/Megapack|产量/);
    await desk.close();
  });

  it('filters by outlet and by date', async () => {
    const { desk } = await samplesDesk();
    const onlyPaper = await desk.ask('特斯拉储能', { source: '本报', top: 10 });
    expect(onlyPaper.kind === 'hits' && onlyPaper.passages.every((p) => p.source === '本报')).toBe(true);
    const tooEarly = await desk.ask('特斯拉储能', { until: '2024-12-31' });
    expect(tooEarly.kind).toBe('no-match');
    const unknown = await desk.ask('特斯拉储能', { source: '不存在的报纸' });
    expect(unknown.kind === 'no-match' && unknown.message).toMatch(/No outlet called "不存在的报纸".*三里河/);
    await desk.close();
  });

  it('says why a question made of question words, punctuation or emoji cannot be searched', async () => {
    const { desk } = await samplesDesk();
    const words = await desk.ask('是什么?');
    expect(words).toMatchObject({ kind: 'empty-query' });
    expect(words.kind === 'empty-query' && words.message).toMatch(/"什么"/);
    expect(await desk.ask('😀😀😀')).toMatchObject({ kind: 'empty-query', message: expect.stringMatching(/no words or numbers/) });
    expect(await desk.ask('？！。，')).toMatchObject({ kind: 'empty-query' });
    await desk.close();
  });

  it('refuses a 5,000-character question with the limit in the message', async () => {
    const { desk } = await samplesDesk();
    expect(await desk.ask('特斯拉'.repeat(1700))).toMatchObject({ kind: 'too-long', message: expect.stringMatching(/5100 characters long; the limit is 500/) });
    await desk.close();
  });

  it('says so when nothing matches, naming the indexed outlets', async () => {
    const { desk } = await samplesDesk();
    expect(await desk.ask('量子计算机')).toMatchObject({ kind: 'no-match', message: expect.stringMatching(/三里河/) });
    await desk.close();
  });

  it('pages through further articles with an offset, without repeating one', async () => {
    const { desk } = await samplesDesk();
    const first = await desk.ask('上海', { top: 2 });
    const second = await desk.ask('上海', { top: 2, offset: 2 });
    if (first.kind !== 'hits' || second.kind !== 'hits') throw new Error('expected hits');
    const ids = [...first.passages, ...second.passages].map((p) => p.articleId);
    expect(new Set(ids).size).toBe(ids.length);
    await desk.close();
  });
});

describe('start-up (case rel-07-first-question-stalls-bot)', () => {
  // Counted in a fresh process: nodejieba keeps its dictionaries per process, and a test worker has usually loaded them already.
  it('loads the dictionaries when the desk opens, so the first question after a restart loads nothing', async () => {
    const dataDir = tempDir();
    const desk = await Newsdesk.open({ dataDir, log: recordingLogger() });
    await desk.ingest([SAMPLES_DIR]);
    await desk.close();
    const root = fileURLToPath(new URL('..', import.meta.url));
    const script = join(tempDir(), 'first-question.mts');
    writeFileSync(
      script,
      `import nodejieba from ${JSON.stringify(join(root, 'node_modules/nodejieba/index.js'))};
       const { Newsdesk } = await import(${JSON.stringify(pathToFileURL(join(root, 'src/newsdesk.ts')).href)});
       const { silentLogger } = await import(${JSON.stringify(pathToFileURL(join(root, 'src/log.ts')).href)});
       let loads = 0;
       const load = nodejieba.load;
       nodejieba.load = (...args) => (loads++, load(...args));
       const desk = await Newsdesk.open({ dataDir: ${JSON.stringify(dataDir)}, log: silentLogger });
       const atOpen = loads;
       const outcome = await desk.ask('特斯拉上海储能超级工厂用了多久建成?');
       console.log(JSON.stringify({ atOpen, duringFirstQuestion: loads - atOpen, kind: outcome.kind }));
       await desk.close();`,
    );
    const child = await runNode(['--import', 'tsx', script], { cwd: root, env: { ...process.env, LOG_LEVEL: 'error' } });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ atOpen: 1, duringFirstQuestion: 0, kind: 'hits' });
  });
});

describe('filters over articles that arrive while the desk is open', () => {
  const article = (dedupeKey: string, source: string) => ({
    dedupeKey,
    title: '深海养殖平台交付',
    paragraphs: ['全球首座半潜式深海养殖平台“远洋一号”在青岛交付,可养殖大西洋鲑30万尾。'],
    source,
    publishedAt: '2025-02-18T02:00:00Z',
  });

  it('finds by outlet an article a feed stored after the first filtered question', async () => {
    const { desk } = await samplesDesk();
    expect((await desk.ask('特斯拉储能', { source: '本报' })).kind).toBe('hits');
    await desk.storeArticles([article('feed-1', '青岛日报')]);
    const hits = await desk.ask('深海养殖平台', { source: '青岛日报' });
    expect(hits.kind === 'hits' && hits.passages.map((p) => p.source)).toEqual(['青岛日报']);
    await desk.close();
  });

  it('finds by outlet and day an article another process stored, once the desk has picked it up', async () => {
    const { desk } = await samplesDesk();
    expect((await desk.ask('特斯拉储能', { since: '2025-02-01' })).kind).toBe('hits');
    const other = await Newsdesk.open({ dataDir: desk.dataDir, log: recordingLogger() });
    await other.store.insertArticles([article('other-1', '大众日报')], '2025-02-18T03:00:00Z');
    await other.close();
    expect(await desk.syncFromStore()).toBe(1);
    const hits = await desk.ask('深海养殖平台', { source: '大众日报', since: '2025-02-18' });
    expect(hits.kind === 'hits' && hits.passages.map((p) => p.source)).toEqual(['大众日报']);
    await desk.close();
  });
});
