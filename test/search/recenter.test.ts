import { describe, expect, it } from 'vitest';
import { splitIntoPassages } from '../../src/search/passages.js';
import { mayRecenter, recenterPassage } from '../../src/search/recenter.js';

// Sentences of 32 characters with no question terms in them, to pad a paragraph to the length needed.
const filler = (n: number, topic = '本地') =>
  Array.from({ length: n }, (_, i) => `${topic}第${String(i + 1).padStart(2, '0')}条消息说天气晴朗，市民出行顺利，道路交通总体平稳有序。`);

describe('recenterPassage', () => {
  const cue = '监测中心公布了不良反应的数据。';
  const answer = '损害主要表现为药物性肝炎、肾功能不全和白细胞减少。';
  const paragraph = [...filler(15), cue, answer, ...filler(3, '外地')].join('');
  const windows = splitIntoPassages(paragraph);

  it('shows the sentence after the question’s terms when they meet in the last sentence of the window', () => {
    const first = windows[0]!;
    expect(first.endsWith(cue)).toBe(true);
    const shown = recenterPassage(paragraph, first, ['监测中心', '不良反应', '数据'])!;
    expect(shown).toContain(cue + answer);
    expect(paragraph).toContain(shown);
    expect(shown.length).toBeLessThanOrEqual(500);
    // Whole sentences: it starts where a sentence starts and ends with a sentence's end.
    expect(paragraph.split(/(?<=。)/).some((s) => shown.startsWith(s))).toBe(true);
    expect(shown.endsWith('。')).toBe(true);
  });

  it('shows the sentence before the question’s terms when they meet in the first sentence of a later window', () => {
    const before = '监测中心的报告指出，肝炎是最常见的损害。';
    const text = [...filler(7), before, cue, ...filler(14, '外地')].join('');
    const window = splitIntoPassages(text).find((w) => w.startsWith(cue))!;
    expect(window).toBeDefined();
    const shown = recenterPassage(text, window, ['监测中心', '不良反应', '数据'])!;
    expect(shown).toContain(before + cue);
  });

  it('leaves the passage as it is when the question’s terms meet in its middle', () => {
    const text = [...filler(12), cue, answer, ...filler(12, '外地')].join('');
    // The second window, which starts and ends in filler with the terms and the answer in between.
    const window = splitIntoPassages(text)[1]!;
    expect(window).toContain(cue + answer);
    expect(recenterPassage(text, window, ['监测中心', '不良反应', '数据'])).toBeUndefined();
    expect(mayRecenter(window, ['监测中心', '不良反应', '数据'])).toBe(false);
  });

  it('leaves a paragraph that is one passage as it is', () => {
    const short = [cue, answer].join('');
    expect(recenterPassage(short, short, ['监测中心'])).toBeUndefined();
  });

  it('finds the question’s terms in traditional script and cuts the text as stored', () => {
    const traditional = [...filler(15), '監測中心公佈了不良反應的數據。', '損害主要表現為藥物性肝炎、腎功能不全和白細胞減少。', ...filler(3, '外地')].join('');
    const first = splitIntoPassages(traditional)[0]!;
    const shown = recenterPassage(traditional, first, ['监测中心', '不良反应', '数据'])!;
    expect(shown).toContain('監測中心公佈了不良反應的數據。損害主要表現為藥物性肝炎');
    expect(traditional).toContain(shown);
  });

  it('shows nothing else when the question asks nothing its headline does not already say', () => {
    expect(recenterPassage(paragraph, windows[0]!, [])).toBeUndefined();
  });
});
