import { describe, expect, it } from 'vitest';
import { cutRelatedTail, isTailMarker } from '../../src/ingest/related-tail.js';

const body = ['第一段正文。', '第二段正文。'];
const teasers = [
  '甲地新建大桥通车 今天上午,甲地新建大桥正式通车,大桥全长',
  '甲地新建大桥通车 今天上午,甲地新建大桥正式通车,大桥全长  乙县举办丰收节 乙县昨天举办农民丰收节,来自',
  '乙县举办丰收节 乙县昨天举办农民丰收节,来自  丙市发布新政 丙市今天发布...',
  '丙市发布新政 丙市今天发布...',
];

describe('cutRelatedTail', () => {
  it.each(['标签:', '标签：', '相关新闻', '相关阅读', '【延伸阅读】', '责任编辑：张三'])('ends the article at the marker %s followed by teasers', (marker) => {
    const cut = cutRelatedTail([...body, marker, ...teasers]);
    expect(cut.body).toEqual(body);
    expect(cut.teasers).toEqual(teasers);
  });

  it('takes teasers that trail off in an ellipsis for teasers', () => {
    const cut = ['丙市发布新政 丙市今天发布了一系列惠企政策…', '丁区开展培训 为提升教学质量,丁区……', '戊县举办活动 戊县昨天...'];
    expect(cutRelatedTail([...body, '相关阅读', ...cut]).body).toEqual(body);
  });

  it('drops a closing editor line with nothing after it', () => {
    expect(cutRelatedTail([...body, '责任编辑:李四']).body).toEqual(body);
  });

  it('keeps body text that follows a word like a marker', () => {
    const lines = [...body, '相关新闻显示,当地已启动应急预案。', '第三段正文。'];
    expect(cutRelatedTail(lines).body).toEqual(lines);
  });

  it('keeps what follows a marker when it reads as finished paragraphs', () => {
    const lines = [...body, '编辑', '这是正文的继续。', '还有一段正文。'];
    expect(cutRelatedTail(lines).body).toEqual(lines);
  });

  it('drops an unmarked closing run of repeated teasers', () => {
    const cut = cutRelatedTail([...body, ...teasers]);
    expect(cut.body).toEqual(body);
    expect(cut.teasers).toEqual(teasers);
  });

  it('keeps closing headline-like lines that are not repeated', () => {
    const lines = [...body, '图片说明一', '图片说明二', '图片说明三'];
    expect(cutRelatedTail(lines).body).toEqual(lines);
  });
});

describe('isTailMarker', () => {
  it('recognises markers but not sentences that start with the same words', () => {
    expect(isTailMarker(' 标签: 特斯拉 上海 ')).toBe(true);
    expect(isTailMarker('Related')).toBe(true);
    expect(isTailMarker('标签化管理成为趋势')).toBe(false);
  });
});
