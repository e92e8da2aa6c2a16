import { describe, expect, it } from 'vitest';
import { itemKey } from '../../src/feeds/item-key.js';

describe('itemKey', () => {
  it('recognises an item by its guid, else its link without tracking parameters', () => {
    expect(itemKey({ guid: 'g1', link: 'http://a.example.com/1', title: 't' })).toBe('guid:g1');
    expect(itemKey({ link: 'http://a.example.com/1?utm_source=rss', title: 't' })).toBe(itemKey({ link: 'http://a.example.com/1', title: 'other' }));
  });

  it('tells apart items with the same title and no guid or link by their text', () => {
    const a = itemKey({ title: '快讯', content: '<p>国家外汇管理局公布外汇储备数据。</p>', published: 'Fri, 14 Feb 2025 08:00:00 +0800' });
    const b = itemKey({ title: '快讯', content: '<p>中国气象局发布暴雪橙色预警。</p>', published: 'Fri, 14 Feb 2025 20:00:00 +0800' });
    expect(a).not.toBe(b);
  });

  it('takes the same item sent again, re-dated or with other markup, for the one already seen', () => {
    const first = itemKey({ title: '快讯', content: '<p>国家外汇管理局公布外汇储备数据。</p>', published: 'Fri, 14 Feb 2025 08:00:00 +0800' });
    expect(itemKey({ title: '快讯', content: '<div>国家外汇管理局公布外汇储备数据。</div>', published: 'Fri, 14 Feb 2025 09:00:00 +0800' })).toBe(first);
  });

  it('tells apart items with only a title by their date, and has no key for an item with nothing', () => {
    expect(itemKey({ title: '快讯', published: '2025-02-14 08:00' })).not.toBe(itemKey({ title: '快讯', published: '2025-02-14 20:00' }));
    expect(itemKey({ title: '快讯' })).toMatch(/^title:/);
    expect(itemKey({})).toBeUndefined();
  });
});
