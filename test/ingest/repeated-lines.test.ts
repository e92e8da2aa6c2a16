import { describe, expect, it } from 'vitest';
import { dropRepeatedLines, lineKey } from '../../src/ingest/repeated-lines.js';

describe('dropRepeatedLines', () => {
  it('keeps a paragraph repeated verbatim once, at its first place', () => {
    expect(dropRepeatedLines(['上海发布新的营商环境方案。', '第二段内容是别的事情。', '上海发布新的营商环境方案。'])).toEqual([
      '上海发布新的营商环境方案。',
      '第二段内容是别的事情。',
    ]);
  });

  it('treats lines differing only in spacing, width or punctuation as the same', () => {
    expect(dropRepeatedLines(['“特斯拉速度”刷新,外企与中国市场双向奔赴', '"特斯拉速度"刷新，外企与中国市场 双向奔赴'])).toHaveLength(1);
  });

  it('keeps short lines that may recur in two articles of one page', () => {
    const lines = ['会议还研究了其他事项。', '另一篇文章的正文。', '会议还研究了其他事项。'];
    expect(dropRepeatedLines(lines)).toEqual(lines);
  });

  it('keeps the longer of two adjacent teasers where one is the other cut shorter', () => {
    const short = '甲地新建大桥通车 今天上午,甲地新建大桥正式通车,大桥全长';
    const long = `${short}三公里,是连接东西两岸的`;
    expect(dropRepeatedLines([short, long])).toEqual([long]);
  });

  it('keeps a headline whose words open the paragraph after it', () => {
    const lines = ['特斯拉上海储能超级工厂正式投产', '特斯拉上海储能超级工厂正式投产仪式今天在临港举行。'];
    expect(dropRepeatedLines(lines)).toEqual(lines);
  });
});

describe('lineKey', () => {
  it('ignores whitespace, punctuation and width', () => {
    expect(lineKey('ＡＢＣ，中文 。')).toBe(lineKey('abc,中文.'));
  });
});
