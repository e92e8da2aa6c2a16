import { describe, expect, it } from 'vitest';
import { escapeArticleText, safeUrl } from '../../src/discord/escape.js';

describe('escapeArticleText', () => {
  it('defuses @everyone, @here and user and role mentions', () => {
    const out = escapeArticleText('通知 @everyone 和 @here,联系 <@123456789012345678> 或 <@&123456789012345678> 在 <#123456789012345678>');
    expect(out).not.toMatch(/@everyone|@here/);
    expect(out).not.toMatch(/<@\d|<@&\d/);
    // a channel link never pings and stays clickable
    expect(out).toContain('<#123456789012345678>');
    expect(out).toContain('通知');
  });

  it('escapes markdown that would restyle the layout', () => {
    expect(escapeArticleText('**粗体** _斜体_ `代码` ~~删除~~')).toBe('\\*\\*粗体\\*\\* \\_斜体\\_ \\`代码\\` \\~\\~删除\\~\\~');
    // a heading marker only restyles at the start of a line
    expect(escapeArticleText('# 标题')).toBe('\\# 标题');
  });
});

describe('safeUrl', () => {
  it('keeps http(s) links and refuses others', () => {
    expect(safeUrl('https://example.com/a')).toBe('https://example.com/a');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
  });
});
