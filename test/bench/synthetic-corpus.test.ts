import { describe, expect, it } from 'vitest';
import { loadJiebaDictionary } from '../../src/bench/jieba-dictionary.js';
import { QuestionPicker, questionFrom } from '../../src/bench/questions.js';
import { Rng } from '../../src/bench/rng.js';
import {
  MAX_ARTICLE_PARAGRAPHS,
  MAX_PARAGRAPH_CHARS,
  MIN_ARTICLE_PARAGRAPHS,
  MIN_PARAGRAPH_CHARS,
  OUTLETS,
  generateArticles,
  inBatches,
} from '../../src/bench/synthetic-corpus.js';
import { Store } from '../../src/store/store.js';
import { queryTerms, tokenize } from '../../src/text/tokenize.js';
import { useTempDir } from '../helpers/temp-dir.js';

const dictionary = loadJiebaDictionary();
const corpus = (seed: number, paragraphs: number, realParagraphs: string[] = []) =>
  [...generateArticles({ dictionary, seed, paragraphs, realParagraphs })];

describe('synthetic news corpus', () => {
  it('reads the jieba dictionary that nodejieba ships, with its frequencies', () => {
    expect(dictionary.words.length).toBeGreaterThan(300_000);
    expect(dictionary.frequencyOf.get('的')).toBeGreaterThan(100_000);
    expect(dictionary.frequencies.length).toBe(dictionary.words.length);
  });

  it('gives the same articles for the same seed and different ones for another seed', () => {
    const a = corpus(7, 300);
    expect(corpus(7, 300)).toEqual(a);
    expect(corpus(8, 300).map((x) => x.paragraphs[0])).not.toEqual(a.map((x) => x.paragraphs[0]));
  });

  it('writes exactly the paragraphs asked for, in articles of 3–15 from known outlets over the days', () => {
    const articles = corpus(1, 2000);
    expect(articles.reduce((n, a) => n + a.paragraphs.length, 0)).toBe(2000);
    // The last article may be shorter: it takes what is left.
    for (const a of articles.slice(0, -1)) {
      expect(a.paragraphs.length).toBeGreaterThanOrEqual(MIN_ARTICLE_PARAGRAPHS);
      expect(a.paragraphs.length).toBeLessThanOrEqual(MAX_ARTICLE_PARAGRAPHS);
    }
    expect(new Set(articles.map((a) => a.dedupeKey)).size).toBe(articles.length);
    expect(new Set(articles.map((a) => a.source)).size).toBeGreaterThan(10);
    for (const a of articles) expect(OUTLETS).toContain(a.source);
    const days = articles.map((a) => a.publishedAt);
    expect(days[0]).toBe('2025-01-01');
    expect(days[days.length - 1]).toBe('2025-04-10');
    expect([...days].sort()).toEqual(days);
  });

  it('keeps paragraphs news-sized (40–400 characters, most near 120) and ends them with a full stop', () => {
    const paragraphs = corpus(3, 3000).flatMap((a) => a.paragraphs);
    for (const p of paragraphs) {
      expect(p.length).toBeGreaterThanOrEqual(MIN_PARAGRAPH_CHARS);
      expect(p.length).toBeLessThanOrEqual(MAX_PARAGRAPH_CHARS);
      expect(p.endsWith('。')).toBe(true);
    }
    const sorted = paragraphs.map((p) => p.length).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    expect(median).toBeGreaterThan(100);
    expect(median).toBeLessThan(150);
    expect(paragraphs.filter((p) => p.includes('，')).length).toBeGreaterThan(paragraphs.length * 0.8);
    expect(paragraphs.some((p) => p.includes('“') && p.includes('”'))).toBe(true);
    expect(paragraphs.some((p) => p.includes('、'))).toBe(true);
  });

  it('mixes Latin names and numbers in, and the tokenizer keeps them whole', () => {
    const text = corpus(4, 2000).flatMap((a) => a.paragraphs).join('\n');
    expect(text).toMatch(/[A-Z][a-z]+/);
    expect(text).toMatch(/\d{4}年/);
    expect(text).toMatch(/\d+\.\d+亿元/);
    expect(text).toMatch(/\d+GWh/);
    const terms = new Set(tokenize(text));
    expect([...terms].some((t) => /^[a-z]{3,}$/.test(t))).toBe(true);
    expect([...terms].some((t) => /^\d+\.\d+$/.test(t))).toBe(true);
  });

  it('spreads real paragraphs through the stream, at most one in ten', () => {
    const real = Array.from({ length: 50 }, (_, i) => `真实段落${i}：特斯拉上海储能超级工厂投产，规划年产1万台。`);
    const paragraphs = corpus(5, 200, real).flatMap((a) => a.paragraphs);
    const positions = paragraphs.flatMap((p, i) => (real.includes(p) ? [i] : []));
    expect(positions).toHaveLength(20);
    expect(positions[0]).toBeLessThan(10);
    expect(positions[positions.length - 1]).toBeGreaterThan(190);
  });

  it('groups a stream into batches without losing or repeating items', () => {
    const batches = [...inBatches([1, 2, 3, 4, 5, 6, 7], 3)];
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });
});

describe('benchmark questions', () => {
  const temp = useTempDir();

  it('asks with 3–6 of the paragraph’s words plus a question word', () => {
    const paragraph = corpus(6, 10)[0]!.paragraphs[0]!;
    const question = questionFrom(paragraph, new Rng(1), dictionary.frequencyOf)!;
    expect(question).toMatch(/什么|多少|哪里/);
    const { terms } = queryTerms(question);
    const paragraphTerms = new Set(tokenize(paragraph));
    const shared = terms.filter((t) => paragraphTerms.has(t));
    expect(shared.length).toBeGreaterThanOrEqual(2);
    expect(questionFrom('短。', new Rng(1), dictionary.frequencyOf)).toBeUndefined();
  });

  it('prefers words the dictionary says are rare', () => {
    const paragraph = '我们的国家在今天发布了关于锂电池储能与钠离子电池的新规定，我们都认为这是好的。';
    const questions = Array.from({ length: 20 }, (_, seed) => questionFrom(paragraph, new Rng(seed), dictionary.frequencyOf)!);
    for (const q of questions) expect(q).not.toMatch(/我们|国家|今天/);
    expect(questions.filter((q) => q.includes('锂电池')).length).toBeGreaterThan(5);
  });

  it('makes each question from a stored paragraph whose one passage is known', () => {
    const store = Store.open(temp());
    const picker = new QuestionPicker(1000, 40, new Rng(3), dictionary.frequencyOf);
    let position = 0;
    for (const batch of inBatches(generateArticles({ dictionary, seed: 9, paragraphs: 1000 }), 50)) {
      const result = store.insertArticles(batch, '2025-04-11T00:00:00.000Z');
      result.added.forEach(({ passages }, i) => {
        for (const text of batch[i]!.paragraphs) picker.offer(position++, text, () => passages.find((p) => p.text === text)?.id);
      });
    }
    expect(picker.questions).toHaveLength(40);
    const stored = store.getPassages(picker.questions.map((q) => q.passageId));
    for (const q of picker.questions) expect(stored.get(q.passageId)?.text).toBe(q.answer);
    expect(new Set(picker.questions.map((q) => q.passageId)).size).toBe(40);
    store.close();
  });
});
