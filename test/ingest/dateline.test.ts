import { describe, expect, it } from 'vitest';
import { isBylineOnly, opensWithDateline, parseByline, parseDateline } from '../../src/ingest/dateline.js';

describe('parseDateline', () => {
  it.each([
    ['本报讯(记者 杨硕)今天上午,特斯拉上海储能超级工厂投产仪式在上海临港举行。', { source: '本报', reporter: '杨硕' }],
    ['本报讯（记者 叶薇）昨天,“双子星”航运联盟在上海港正式运营。', { source: '本报', reporter: '叶薇' }],
    ['本报讯 市委副书记、市长龚正昨天主持召开市政府常务会议。', { source: '本报' }],
    ['中新网成都2月14日电 (记者 刘忠俊)中国铁路成都局集团有限公司客运部门介绍。', { source: '中新网', place: '成都', date: '2025-02-14', reporter: '刘忠俊' }],
    ['新华社北京3月5日电（记者 张三 李四）十四届全国人大三次会议开幕。', { source: '新华社', place: '北京', date: '2025-03-05', reporter: '张三 李四' }],
    ['中新社甘肃文县2月13日电 题:陇南“达嘎姐妹”的节日狂欢', { source: '中新社', place: '甘肃文县', date: '2025-02-13' }],
    ['中新网嘉兴2月14日电(黄彦君)我们和东华大学联合研发的颁奖礼仪服装。', { source: '中新网', place: '嘉兴', date: '2025-02-14', reporter: '黄彦君' }],
    ['中新网2月14日电(记者 吴家驹)电影《哪吒2》在烂番茄获好评。', { source: '中新网', date: '2025-02-14', reporter: '吴家驹' }],
    ['中新经纬2月14日电 多家银行下调美元存款利率。', { source: '中新经纬', date: '2025-02-14' }],
    ['中国日报网北京2月14日电 一则消息。', { source: '中国日报网', place: '北京', date: '2025-02-14' }],
    ['人民日报上海2024年12月30日电 年终报道。', { source: '人民日报', place: '上海', date: '2024-12-30' }],
    ['（记者 王五）昨天,全市召开安全生产会议。', { reporter: '王五' }],
  ])('reads %s', (paragraph, expected) => {
    expect(parseDateline(paragraph, '2025-06-01')).toEqual(expected);
  });

  it.each([
    '近日,特斯拉上海储能超级工厂在上海自贸区临港新片区正式投产。',
    '会议于3月5日电话连线各区负责人。',
    '(经济观察)海南自贸港封关之年拼开局',
    '2025年全市检察长会议昨天召开。',
    '',
  ])('finds no dateline in %s', (paragraph) => {
    expect(parseDateline(paragraph, '2025-02-20')).toBeUndefined();
    expect(opensWithDateline(paragraph)).toBe(false);
  });

  it('puts a month and day that would fall after the reference date in the year before', () => {
    expect(parseDateline('新华社北京12月30日电 年终报道。', '2025-01-03')?.date).toBe('2024-12-30');
    expect(parseDateline('新华社北京1月2日电 新年报道。', '2025-01-03')?.date).toBe('2025-01-02');
  });

  it('gives no date to a month and day without a reference date, rather than guessing the year', () => {
    expect(parseDateline('中新网成都2月14日电 (记者 刘忠俊)正文。')).toEqual({ source: '中新网', place: '成都', reporter: '刘忠俊' });
  });

  it('keeps an explicit year whatever the reference says', () => {
    expect(parseDateline('新华社北京2023年3月5日电 正文。', '2025-02-20')?.date).toBe('2023-03-05');
  });
});

describe('parseDateline on traditional-script datelines', () => {
  it.each([
    ['中央社高雄3月6日電 高雄港今年貨櫃量創新高。', { source: '中央社', place: '高雄', date: '2025-03-06' }],
    ['（中央社記者王小明台北6日電）行政院今天通過預算案。', { source: '中央社', place: '台北', date: '2025-05-06', reporter: '王小明' }],
    ['（中央社記者王小明、李大華台北6日專電）立法院三讀通過法案。', { source: '中央社', place: '台北', date: '2025-05-06', reporter: '王小明 李大華' }],
    ['（中央社台北6日電）颱風今天登陸。', { source: '中央社', place: '台北', date: '2025-05-06' }],
    ['（中央社記者陳家倫嘉南6日電）一則消息。', { source: '中央社', place: '嘉南', date: '2025-05-06', reporter: '陳家倫' }],
    ['本報訊（記者 陳大文）昨日全港天氣炎熱。', { source: '本報', reporter: '陳大文' }],
    ['新華社北京3月5日電（記者 張三）十四屆全國人大三次會議開幕。', { source: '新華社', place: '北京', date: '2025-03-05', reporter: '張三' }],
    ['聯合報台北3月5日訊 一則消息。', { source: '聯合報', place: '台北', date: '2025-03-05' }],
    ['自由時報高雄3月5日電 一則消息。', { source: '自由時報', place: '高雄', date: '2025-03-05' }],
    ['（記者 王五）昨天，全市召開安全生產會議。', { reporter: '王五' }],
    ['【明報專訊】政府昨日公布施政報告。', { source: '明報' }],
    ['【環球網報道 記者 王五】一則消息。', { source: '環球網', reporter: '王五' }],
    ['【环球时报综合报道】一则消息。', { source: '环球时报' }],
  ])('reads %s like its simplified form', (paragraph, expected) => {
    expect(parseDateline(paragraph, '2025-05-20')).toEqual(expected);
  });

  it('reads the simplified form of a bracketed day-only dateline too', () => {
    expect(parseDateline('（中央社记者王小明台北6日电）行政院今天通过预算案。', '2025-05-20')).toEqual({
      source: '中央社', place: '台北', date: '2025-05-06', reporter: '王小明',
    });
    expect(parseDateline('新华社北京6日电 一则消息。', '2025-05-20')).toMatchObject({ source: '新华社', place: '北京', date: '2025-05-06' });
  });

  it('puts a day alone that falls after the reference day in the month before', () => {
    expect(parseDateline('（中央社台北28日電）跨年報導。', '2025-01-03')?.date).toBe('2024-12-28');
    expect(parseDateline('（中央社台北31日電）一則消息。', '2025-05-03')?.date).toBeUndefined();
  });

  it('finds no dateline in a sentence with a day and 電 in it, or a bracketed tag naming no outlet', () => {
    expect(parseDateline('他在6日電話中表示同意。', '2025-05-20')).toBeUndefined();
    expect(parseDateline('【最新消息】颱風今天登陸。', '2025-05-20')).toBeUndefined();
    expect(parseDateline('【快讯】台风登陆。', '2025-05-20')).toBeUndefined();
  });
});

describe('parseByline', () => {
  it.each([
    ['记者关注到,相关标准制订计划已进行公示。本报记者 郜阳', { source: '本报', reporter: '郜阳' }],
    ['本报记者 郜阳', { source: '本报', reporter: '郜阳' }],
    ['会议要求各区抓好落实。（记者 王五）', { reporter: '王五' }],
    ['会议要求各区抓好落实。本报记者 张三 李四', { source: '本报', reporter: '张三 李四' }],
    ['會議要求各區抓好落實。本報記者 陳大文', { source: '本報', reporter: '陳大文' }],
    ['會議要求各區抓好落實。（記者 王五）', { reporter: '王五' }],
  ])('reads the byline closing %s', (paragraph, expected) => {
    expect(parseByline(paragraph)).toEqual(expected);
  });

  it('finds no byline in a paragraph that ends its sentence', () => {
    expect(parseByline('阶梯医疗创始人赵郑拓告诉记者。')).toBeUndefined();
    expect(parseByline('他告诉记者 这件事')).toBeUndefined();
  });

  it('tells a byline standing alone from one closing a paragraph', () => {
    expect(isBylineOnly('本报记者 郜阳')).toBe(true);
    expect(isBylineOnly('（记者 王五）')).toBe(true);
    expect(isBylineOnly('本報記者 陳大文')).toBe(true);
    expect(isBylineOnly('记者关注到,相关标准制订计划已进行公示。本报记者 郜阳')).toBe(false);
  });
});
