import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Newsdesk } from '../../src/newsdesk.js';
import type { AskOutcome } from '../../src/search/ask.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cases/${name}`, import.meta.url));

function deskWith(file: string): Newsdesk {
  const desk = Newsdesk.open({ dataDir: tempDir(), log: recordingLogger(), now: () => new Date('2025-06-21T02:00:00Z') });
  desk.ingest([fixture(file)]);
  return desk;
}

const sources = (outcome: AskOutcome) => (outcome.kind === 'hits' ? outcome.passages.map((p) => p.source) : []);
const titles = (outcome: AskOutcome) => (outcome.kind === 'hits' ? outcome.passages.map((p) => p.title) : []);

describe('asking across Hong Kong, Taiwan and mainland spellings', () => {
  it('finds the Hong Kong 衞生署 article from 卫生署 and from 衛生署', () => {
    const desk = deskWith('hk-variant-wei.jsonl');
    expect(sources(desk.ask('卫生署'))[0]).toBe('香港電台');
    expect(sources(desk.ask('衛生署'))[0]).toBe('香港電台');
    expect(sources(desk.ask('卫生防护中心 流感'))[0]).toBe('香港電台');
    desk.close();
  });
});

describe('asking about names written with symbols', () => {
  it('puts the C# article first for C# and the C++ article first for C++', () => {
    const desk = deskWith('csharp-cplusplus.jsonl');
    expect(titles(desk.ask('C#'))[0]).toBe('微软发布新版C#语言');
    expect(titles(desk.ask('C++'))[0]).toBe('C++26标准草案完成');
    expect(titles(desk.ask('C#')).slice(0, 1)).not.toContain('C罗梅开二度');
    desk.close();
  });
});
