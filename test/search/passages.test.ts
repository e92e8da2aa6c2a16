import { describe, expect, it } from 'vitest';
import { MAX_PASSAGE_CHARS, splitIntoPassages } from '../../src/search/passages.js';

const sentence = (i: number) => `这是第${i}句话,讲述了一件很长的新闻事件的来龙去脉和各方反应${'以及更多细节'.repeat(3)}。`;

describe('splitIntoPassages', () => {
  it('keeps a short paragraph as one passage', () => {
    expect(splitIntoPassages('特斯拉上海储能超级工厂投产。')).toEqual(['特斯拉上海储能超级工厂投产。']);
  });

  it('cuts a long paragraph into sentence-aligned windows no longer than the limit', () => {
    const paragraph = Array.from({ length: 40 }, (_, i) => sentence(i)).join('');
    const passages = splitIntoPassages(paragraph);
    expect(passages.length).toBeGreaterThan(1);
    for (const p of passages) {
      expect(p.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
      expect(p.endsWith('。')).toBe(true);
    }
    // every sentence is in some passage
    for (let i = 0; i < 40; i++) expect(passages.some((p) => p.includes(sentence(i)))).toBe(true);
  });

  it('overlaps windows by about half a window so an answer at an edge stays whole in one of them', () => {
    const paragraph = Array.from({ length: 40 }, (_, i) => sentence(i)).join('');
    const [first, second] = splitIntoPassages(paragraph);
    const sentencesOf = (p: string) => p.split('。').filter(Boolean);
    const shared = sentencesOf(second!).filter((s) => sentencesOf(first!).includes(s));
    expect(shared.length).toBeGreaterThanOrEqual(2);
    expect(shared.join('。').length).toBeGreaterThanOrEqual(first!.length / 3);
  });

  it('cuts a single sentence longer than the limit', () => {
    const passages = splitIntoPassages('很'.repeat(1200));
    expect(passages.every((p) => p.length <= MAX_PASSAGE_CHARS)).toBe(true);
    expect(passages.join('')).toBe('很'.repeat(1200));
  });
});
