import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Newsdesk } from '../../src/newsdesk.js';
import type { AskOutcome } from '../../src/search/ask.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cases/${name}`, import.meta.url));

async function deskWith(file: string): Promise<Newsdesk> {
  const desk = await Newsdesk.open({ dataDir: tempDir(), log: recordingLogger(), now: () => new Date('2025-06-21T02:00:00Z') });
  await desk.ingest([fixture(file)]);
  return desk;
}

const sources = (outcome: AskOutcome) => (outcome.kind === 'hits' ? outcome.passages.map((p) => p.source) : []);
const titles = (outcome: AskOutcome) => (outcome.kind === 'hits' ? outcome.passages.map((p) => p.title) : []);

describe('asking across Hong Kong, Taiwan and mainland spellings', () => {
  it('finds the Hong Kong 衞生署 article from 卫生署 and from 衛生署', async () => {
    const desk = await deskWith('hk-variant-wei.jsonl');
    expect(sources(await desk.ask('卫生署'))[0]).toBe('香港電台');
    expect(sources(await desk.ask('衛生署'))[0]).toBe('香港電台');
    expect(sources(await desk.ask('卫生防护中心 流感'))[0]).toBe('香港電台');
    await desk.close();
  });
});

describe('asking about names written with symbols', () => {
  it('puts the C# article first for C# and the C++ article first for C++', async () => {
    const desk = await deskWith('csharp-cplusplus.jsonl');
    expect(titles(await desk.ask('C#'))[0]).toBe('微软发布新版C#语言');
    expect(titles(await desk.ask('C++'))[0]).toBe('C++26标准草案完成');
    expect(titles(await desk.ask('C#')).slice(0, 1)).not.toContain('C罗梅开二度');
    await desk.close();
  });
});

describe('choosing the passage of an article', () => {
  it('answers from the lead when the question names the article and the rest of it mentions the name more', async () => {
    const dir = tempDir();
    const file = join(dir, 'news.jsonl');
    const article = {
      title: '张世昌',
      source: '体坛周报',
      publishedAt: '2025-01-01',
      text: ['张世昌是中国足球运动员，司职后卫，现效力于上海海港。', '2015年张世昌转会至上海，次年张世昌租借到大连，张世昌随队夺得联赛冠军。'].join('\n\n'),
    };
    const other = { title: '上海海港夺冠', source: '体坛周报', publishedAt: '2025-01-02', text: '上海海港在联赛最后一轮取胜，提前夺得冠军。' };
    writeFileSync(file, [article, other].map((a) => JSON.stringify(a)).join('\n'));
    const desk = await Newsdesk.open({ dataDir: join(dir, 'data'), log: recordingLogger() });
    await desk.ingest([file]);
    const outcome = await desk.ask('张世昌的职业是什么？');
    expect(outcome.kind === 'hits' && outcome.passages[0]!.text).toContain('足球运动员');
    await desk.close();
  });
});

describe('showing the answer next to the question’s terms', () => {
  // One paragraph over 500 characters, stored as two windows: the first ends with the sentence where the question's
  // terms meet, and the answer is the next sentence, in the second window only.
  const sentences = [
    '雷公藤是卫矛科雷公藤属的植物，别名黄藤、断肠草，分布于中国长江以南各省。',
    '它是落叶蔓性灌木，小枝棕红色，有四至六条细棱，密生瘤状皮孔和锈色短毛。',
    '叶片椭圆形至宽卵形，边缘有细锯齿，上面光滑，下面淡绿色，叶脉上有短毛。',
    '花序顶生或腋生，花小而多，白绿色，直径约五毫米，花期在每年的六月至七月。',
    '果实为三棱状的翅果，成熟时呈红褐色，种子细长，果期在每年的八月至九月。',
    '雷公藤多生长于山地林缘的阴湿处，喜欢温暖湿润的气候，不耐严寒和干旱。',
    '雷公藤的根、茎和叶都含有生物碱和萜类成分，自古以来被当作杀虫的农药使用。',
    '近代医学从雷公藤中提取出雷公藤多苷，用于治疗类风湿关节炎等自身免疫疾病。',
    '由于毒性较大，雷公藤制剂只能在医生指导下使用，并且需要定期复查。',
    '民间常有人自行采挖雷公藤泡酒服用，因此引起中毒的事例时有发生。',
    '雷公藤中毒后可出现恶心、呕吐和腹痛，严重时会危及生命，必须及时救治。',
    '各地药监部门多次提醒公众，不要轻信偏方，更不要私自加大服用剂量。',
    '雷公藤的嫩叶外形与茶叶相似，山区村民误采误食后中毒的情况时有报道。',
    '国家药品不良反应监测中心公布了雷公藤制剂的不良反应监测数据。',
    '报告的损害主要表现为药物性肝炎、肾功能不全和白细胞减少。',
    '专家建议患者在服药期间注意观察身体变化，一旦出现异常应立即停药就医。',
  ];
  const article = { title: '雷公藤', source: '健康报', url: 'https://example.com/leigongteng', publishedAt: '2025-03-01', text: sentences.join('') };

  it('shows the sentence after the question’s terms when they close the article’s first window', async () => {
    const dir = tempDir();
    const file = join(dir, 'news.jsonl');
    const other = { title: '药品不良反应年度报告发布', source: '健康报', publishedAt: '2025-03-02', text: '国家药品不良反应监测中心发布年度报告，全年收到报告两百万份。' };
    writeFileSync(file, [article, other].map((a) => JSON.stringify(a)).join('\n'));
    const desk = await Newsdesk.open({ dataDir: join(dir, 'data'), log: recordingLogger() });
    await desk.ingest([file]);
    const outcome = await desk.ask('国家药品不良反应监测中心公布的雷公藤制剂有哪些不良反应？', { top: 3 });
    expect(outcome.kind).toBe('hits');
    if (outcome.kind !== 'hits') return;
    const shown = outcome.passages[0]!;
    expect(shown.text).toContain('国家药品不良反应监测中心公布了雷公藤制剂的不良反应监测数据。报告的损害主要表现为药物性肝炎');
    // The article's own text, in whole sentences, within the passage limit, cited as before.
    expect(article.text).toContain(shown.text);
    expect(shown.text.length).toBeLessThanOrEqual(500);
    expect(sentences.some((s) => shown.text.startsWith(s))).toBe(true);
    expect(shown).toMatchObject({ title: '雷公藤', source: '健康报', url: 'https://example.com/leigongteng', publishedDay: '2025-03-01' });
    expect(shown.highlights.length).toBeGreaterThan(0);
    // Highlights point into the text shown, at the question's terms.
    for (const [start, end] of shown.highlights) expect(outcome.terms.some((t) => shown.text.slice(start, end).includes(t))).toBe(true);
    // Whichever window was chosen, the passage id is one of the article's.
    expect((await desk.store.getPassages([shown.passageId])).get(shown.passageId)?.articleId).toBe(shown.articleId);
    await desk.close();
  });
});

describe('questions that say when', () => {
  async function deskOfDays(dir: string) {
    const file = join(dir, 'news.jsonl');
    const news = [
      { title: '地铁三号线今晚停运', source: '晚报', publishedAt: '2025-02-19T12:00:00+08:00', text: '地铁三号线今晚停运检修，乘客请换乘公交。' },
      { title: '地铁三号线恢复运营', source: '晚报', publishedAt: '2025-02-20T12:00:00+08:00', text: '经过一夜检修，地铁三号线恢复运营。' },
      { title: '地铁三号线去年客流', source: '晚报', publishedAt: '2024-06-01T09:00:00+08:00', text: '地铁三号线2024年客流创新高。' },
    ];
    writeFileSync(file, news.map((a) => JSON.stringify(a)).join('\n'));
    // 10:00 on 20 February 2025 in Beijing.
    const desk = await Newsdesk.open({ dataDir: join(dir, 'data'), log: recordingLogger(), now: () => new Date('2025-02-20T02:00:00Z') });
    await desk.ingest([file]);
    return desk;
  }

  it('answers 昨天 from yesterday’s articles first and leaves the word out of the search', async () => {
    const desk = await deskOfDays(tempDir());
    const outcome = await desk.ask('昨天地铁三号线怎么了');
    expect(titles(outcome)[0]).toBe('地铁三号线今晚停运');
    expect(titles(await desk.ask('今天地铁三号线怎么了'))[0]).toBe('地铁三号线恢复运营');
    expect(outcome.kind === 'hits' && outcome.terms).not.toContain('昨天');
    await desk.close();
  });

  it('still answers from other days when nothing was published in the period named', async () => {
    const desk = await deskOfDays(tempDir());
    expect(titles(await desk.ask('上周地铁三号线')).length).toBe(3);
    await desk.close();
  });

  it('keeps a time word that is part of a title in the search', async () => {
    const desk = await deskOfDays(tempDir());
    const outcome = await desk.ask('《今天地铁》');
    expect(outcome.kind === 'hits' ? outcome.terms : outcome.kind === 'no-match' ? outcome.terms : []).toContain('今天');
    await desk.close();
  });

  it('keeps a year in the search and prefers the articles of that year', async () => {
    const desk = await deskOfDays(tempDir());
    expect(titles(await desk.ask('地铁三号线2024年客流'))[0]).toBe('地铁三号线去年客流');
    await desk.close();
  });

  it('puts the newer of two equally good articles first when the question names no time', async () => {
    const dir = tempDir();
    const file = join(dir, 'news.jsonl');
    const notice = (publishedAt: string, source: string) => ({ title: '停水通知', source, publishedAt, text: `明日全区停水检修，${source}讯。` });
    writeFileSync(file, [notice('2025-01-01', '甲报'), notice('2025-02-01', '乙报')].map((a) => JSON.stringify(a)).join('\n'));
    const desk = await Newsdesk.open({ dataDir: join(dir, 'data'), log: recordingLogger() });
    await desk.ingest([file]);
    expect(sources(await desk.ask('停水检修'))).toEqual(['乙报', '甲报']);
    await desk.close();
  });
});
