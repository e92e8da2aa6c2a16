import { describe, expect, it } from 'vitest';
import { repairPageBreaks } from '../../src/ingest/page-breaks.js';

describe('repairPageBreaks', () => {
  it('joins a paragraph cut after a finished sentence with the rest, without a space', () => {
    expect(repairPageBreaks(['此前披露的信息显示,工厂于去年5月开工。根据相', '关规划,工厂将年产1万台。'])).toEqual([
      '此前披露的信息显示,工厂于去年5月开工。根据相关规划,工厂将年产1万台。',
    ]);
  });

  it('joins a short piece that leaves a book title open', () => {
    expect(repairPageBreaks(['会议指出,要稳住外贸。', '会议原则同意《2025年上海市推', '进政府职能转变工作要点》并指出,要对标部署。'])).toEqual([
      '会议指出,要稳住外贸。',
      '会议原则同意《2025年上海市推进政府职能转变工作要点》并指出,要对标部署。',
    ]);
  });

  it('joins a piece between finished paragraphs that is longer than a headline', () => {
    const out = repairPageBreaks(['他在仪式上表示,这是重要的里程碑。', '特斯拉公司能源与充电业务副总裁麦克·斯耐德(Mike Snyder)表', '示,“我们致力于打造能源产品。”']);
    expect(out).toEqual(['他在仪式上表示,这是重要的里程碑。', '特斯拉公司能源与充电业务副总裁麦克·斯耐德(Mike Snyder)表示,“我们致力于打造能源产品。”']);
  });

  it('joins a piece that stops on a comma', () => {
    expect(repairPageBreaks(['开头。', '甲地,', '乙地都下了雨。'])).toEqual(['开头。', '甲地,乙地都下了雨。']);
  });

  it('puts a space between Latin words cut apart', () => {
    expect(repairPageBreaks(['The factory opened today. Officials said the plant would make', 'ten thousand units a year.'])).toEqual([
      'The factory opened today. Officials said the plant would make ten thousand units a year.',
    ]);
  });

  it('never joins a headline, sub-headline or kicker to what follows', () => {
    const page = [
      '对于上海来说,这将提振外资企业来华投资的信心。',
      '3.5亿元',
      '上海企业获中国植入式脑机接口最大一笔融资',
      '2027年前,申城计划引育5家以上具有相关核心技术与研发能力的自主创新企业和10家以上产业链骨干企业',
      '申城植入式脑机接口企业传来好消息。',
      '创新检察服务举措 持续提升办案质效',
      '全市检察长会议召开,朱忠明出席',
      '本报讯 2025年全市检察长会议昨天召开。',
    ];
    expect(repairPageBreaks(page)).toEqual(page);
  });

  it('keeps a short headline between two articles apart from the body after it', () => {
    const page = ['第一篇的最后一段。', '第二篇的标题', '第二篇的正文第一段。'];
    expect(repairPageBreaks(page)).toEqual(page);
  });

  it('does not join a paragraph that closes with a byline to the next article', () => {
    const page = ['相关标准制订计划已进行公示。本报记者 郜阳', '本报讯(记者 叶薇)昨天,航运联盟正式运营。'];
    expect(repairPageBreaks(page)).toEqual(page);
  });

  it('leaves code blocks alone', () => {
    const page = ['下面是示例代码,它的运行结果很长很长很长很长很长很长很长很长', 'const a = 1;\nconst b = 2;', '结束。'];
    expect(repairPageBreaks(page)).toEqual(page);
  });

  it('joins a paragraph broken across three columns', () => {
    const middle = '被分页切开的句子,它占满了整整一栏的高度,所以比任何标题都要长得多,读起来也明显是正文的一部分,排版时栏宽较窄,一栏能放下的字数有限,于是它又被切';
    expect(repairPageBreaks(['开头一句话说完了。接着是一段很长的', middle, '开了一次才结束。'])).toEqual([
      `开头一句话说完了。接着是一段很长的${middle}开了一次才结束。`,
    ]);
  });
});
