import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestArticle {
  title?: string;
  text: string;
  source?: string;
  url?: string;
  publishedAt?: string;
}

/** Writes articles as a .jsonl file in `dir` and returns its path. */
export function writeJsonl(dir: string, articles: readonly TestArticle[], name = 'articles.jsonl'): string {
  const path = join(dir, name);
  writeFileSync(path, articles.map((a) => JSON.stringify(a)).join('\n') + '\n');
  return path;
}

export const SMALL_NEWS: TestArticle[] = [
  {
    title: '特斯拉上海储能超级工厂投产',
    text: '特斯拉上海储能超级工厂于2024年5月开工建设,用时仅7个月即竣工。\n规划年产能为1万台储能系统Megapack,储能规模近40GWh。',
    source: '三里河',
    url: 'https://example.com/tesla',
    publishedAt: '2025-02-14',
  },
  {
    title: '上海企业获脑机接口最大一笔融资',
    text: '上海阶梯医疗科技有限公司宣布完成3.5亿元人民币B轮融资。这是中国植入式脑机接口行业历史上最大的一笔融资。',
    source: '本报',
    publishedAt: '2025-02-11',
  },
  {
    title: '12306春运售票',
    text: '铁路12306网站春运期间日均售票超过1500万张,比去年增长8%。',
    source: '中新网',
    publishedAt: '2025-01-20',
  },
];
