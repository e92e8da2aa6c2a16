import { describe, expect, it } from 'vitest';
import { choiceName, cutAtSentence, DISCORD_LIMITS, embedLength, fitChoices, fitContent, fitEmbed } from '../../src/discord/limits.js';
import { markupOf, readerText } from '../helpers/discord-markup.js';

describe('cutAtSentence', () => {
  it('leaves text that fits alone', () => {
    expect(cutAtSentence('短句。', 10)).toBe('短句。');
  });

  it('cuts at the end of a sentence and marks the cut', () => {
    const text = '第一句话说完了。第二句话也说完了。第三句话很长很长很长很长很长很长。';
    const cut = cutAtSentence(text, 20);
    expect(cut).toBe('第一句话说完了。第二句话也说完了。…');
    expect(cut.length).toBeLessThanOrEqual(20);
  });

  it('never leaves an unclosed bold marker that would swallow the rest', () => {
    const cut = cutAtSentence(`${'字'.repeat(50)}**粗体${'字'.repeat(100)}**`, 80);
    expect((cut.match(/\*\*/g) ?? []).length % 2).toBe(0);
    expect(cut.length).toBeLessThanOrEqual(80);
  });

  it('closes bold correctly after a name ending in an escaped backslash, leaving no stray ** when the rest is cut', () => {
    const cut = cutAtSentence(`**名称\\\\** ${'字'.repeat(50)}**粗体${'字'.repeat(100)}**`, 80);
    expect(markupOf(cut)).toEqual([{ type: 'strong', text: '名称\\' }]);
    expect(readerText(cut)).not.toContain('**');
  });

  it('does not split an emoji in half', () => {
    const cut = cutAtSentence('😀'.repeat(100), 51);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('fitEmbed', () => {
  it('keeps every part within Discord limits and the whole under 6000 characters', () => {
    const long = '这是一个很长的句子。'.repeat(1000);
    const embed = fitEmbed({
      title: long,
      description: long,
      footer: { text: long },
      fields: Array.from({ length: 40 }, (_, i) => ({ name: `字段${i}${long}`, value: long })),
    });
    expect(embed.title!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(embed.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(embed.fields!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
    for (const f of embed.fields!) expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFieldValue);
    expect(embedLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  });

  it('keeps message content within 2000 characters', () => {
    expect(fitContent('长'.repeat(5000)).length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  });
});

describe('autocomplete suggestions', () => {
  it('keeps at most 25, each name within 100 characters, drops a value that does not fit rather than change it', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `${'储能产业观察，'.repeat(20)}${i}`, value: `article:${i}` }));
    const fitted = fitChoices([{ name: 'x', value: 'v'.repeat(101) }, ...many]);

    expect(fitted).toHaveLength(25);
    expect(fitted[0]!.value).toBe('article:0');
    for (const c of fitted) expect(c.name.length).toBeLessThanOrEqual(100);
  });

  it('cuts a headline, never its outlet and date, to fit a suggestion', () => {
    const name = choiceName(`${'新型储能项目建设提速，'.repeat(12)}`, ' · 测试台 · 2025-02-12');

    expect(name.length).toBeLessThanOrEqual(100);
    expect(name).toMatch(/…? · 测试台 · 2025-02-12$/);
    expect(name.startsWith('新型储能项目建设提速')).toBe(true);
  });
});
