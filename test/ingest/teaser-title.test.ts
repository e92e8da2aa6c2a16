import { describe, expect, it } from 'vitest';
import { titleFromTeasers } from '../../src/ingest/teaser-title.js';

const opening = '近日,某市储能超级工厂在临港新片区正式投产,这是该企业在海外投建的首个储能工厂。';

describe('titleFromTeasers', () => {
  it('takes the headline of the teaser that quotes the article opening', () => {
    const teasers = [
      '别的新闻标题 别的新闻的开头一句话,与本文无关',
      '储能速度刷新,外企与市场双向奔赴 某市又有惊喜。近日,某市储能超级工厂在临港新片区',
    ];
    expect(titleFromTeasers(teasers, opening)).toBe('储能速度刷新,外企与市场双向奔赴');
  });

  it('ends the headline before a dateline that opens the teaser text', () => {
    const teasers = ['储能工厂 正式投产 中新网上海2月14日电 (记者 张三)近日,某市储能超级工厂在临港新片区'];
    expect(titleFromTeasers(teasers, opening)).toBe('储能工厂 正式投产');
  });

  it('looks inside lines that hold several teasers', () => {
    const teasers = ['别的新闻标题 别的新闻的开头  储能工厂投产 近日,某市储能超级工厂在临港新片区'];
    expect(titleFromTeasers(teasers, opening)).toBe('储能工厂投产');
  });

  it('takes the segment before the opening as the headline when a wide gap sets them apart', () => {
    const teasers = ['别的新闻标题  别的新闻的开头一句话...  储能工厂投产  某市又有惊喜。近日,某市储能超级工厂在临港新片区...'];
    expect(titleFromTeasers(teasers, opening)).toBe('储能工厂投产');
  });

  it('finds nothing when no teaser shares a long enough run with the opening', () => {
    const teasers = ['储能工厂投产 近日,某市储能超级工', '某标题 某市储能超级工厂的故事'];
    expect(titleFromTeasers(teasers, opening)).toBeUndefined();
  });

  it('does not take the headline for the overlap when the headline repeats the opening words', () => {
    const teasers = ['某市储能超级工厂在临港新片区正式投产 近日,某市储能超级工厂在临港新片区正式投产,这是'];
    expect(titleFromTeasers(teasers, opening)).toBe('某市储能超级工厂在临港新片区正式投产');
  });
});
