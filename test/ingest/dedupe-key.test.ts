import { describe, expect, it } from 'vitest';
import { canonicalUrl, dedupeKey } from '../../src/ingest/dedupe-key.js';

describe('dedupeKey', () => {
  it('treats a link reshared with tracking parameters as the same article', () => {
    const a = dedupeKey({ paragraphs: ['x'], url: 'https://news.example.com/a/1.html?utm_source=wechat&id=9#top' });
    const b = dedupeKey({ paragraphs: ['y'], url: 'https://NEWS.example.com/a/1.html?id=9' });
    expect(a).toBe(b);
  });

  it('treats the same text in another width, script or spacing as the same article', () => {
    const a = dedupeKey({ paragraphs: ['特斯拉上海儲能超級工廠投產，Megapack下線。'] });
    const b = dedupeKey({ paragraphs: ['特斯拉上海储能超级工厂投产, megapack 下线.'] });
    expect(a).toBe(b);
  });

  it('tells different articles apart', () => {
    expect(dedupeKey({ paragraphs: ['甲。'] })).not.toBe(dedupeKey({ paragraphs: ['乙。'] }));
  });

  it('ignores a link that is not http(s)', () => {
    expect(canonicalUrl('javascript:alert(1)')).toBeUndefined();
  });
});
