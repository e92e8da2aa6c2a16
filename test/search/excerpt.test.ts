import { describe, expect, it } from 'vitest';
import { bestExcerpt } from '../../src/search/excerpt.js';
import { highlightSpans } from '../../src/search/highlight.js';

describe('bestExcerpt', () => {
  const text =
    '临港新片区党工委副书记吴晓华在投产仪式上表示,这是特斯拉的重要里程碑。上海市政府和临港将创造更好条件助力特斯拉储能产品开拓海内外市场。' +
    '特斯拉上海储能超级工厂于2024年5月开工建设,仅仅9个月时间,就完成了工厂开建到产品下线的整个过程。将助力特斯拉在临港打造完善的储能产业产品生态。';

  it('shows the sentence that holds the matched terms', () => {
    const spans = highlightSpans(text, ['开工', '9', '个月']);
    const excerpt = bestExcerpt(text, spans, 60);
    expect(excerpt.text).toContain('仅仅9个月时间');
    expect(excerpt.text.length).toBeLessThanOrEqual(60);
    expect(excerpt.cutBefore).toBe(true);
  });

  it('keeps highlights pointing at the same words inside the excerpt', () => {
    const spans = highlightSpans(text, ['开工']);
    const excerpt = bestExcerpt(text, spans, 80);
    for (const [s, e] of excerpt.highlights) expect(excerpt.text.slice(s, e)).toBe('开工');
  });
});
