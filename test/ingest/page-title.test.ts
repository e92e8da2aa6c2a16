import { describe, expect, it } from 'vitest';
import { headlineFromTitle, stripSiteName } from '../../src/ingest/page-title.js';

describe('headlineFromTitle', () => {
  it('takes the h1 that the <title> starts with, whatever the separator', () => {
    expect(headlineFromTitle('央行宣布下调存款准备金率_新闻中心_新浪网', ['央行宣布下调存款准备金率'])).toBe('央行宣布下调存款准备金率');
    expect(headlineFromTitle('一月份居民消费价格同比上涨0.5% | 人民网', ['一月份居民消费价格同比上涨0.5%'])).toBe('一月份居民消费价格同比上涨0.5%');
    expect(headlineFromTitle('央视网 | 夏粮收购进度过半', ['夏粮收购进度过半'])).toBe('夏粮收购进度过半');
  });

  it("does not take an h1 holding the site's logo for the headline", () => {
    expect(headlineFromTitle('台风登陆广东_新浪网', ['新浪网', '台风登陆广东'])).toBe('台风登陆广东');
    expect(headlineFromTitle('台风登陆广东_新浪网', ['新浪网'])).toBe('台风登陆广东');
  });

  it('does not take an h1 that is only the start of the headline (a logo, a column name)', () => {
    expect(headlineFromTitle('上海发布高温橙色预警_社会_示例网', ['上海'])).toBe('上海发布高温橙色预警');
  });
});

describe('stripSiteName', () => {
  it.each([
    ['央行宣布下调存款准备金率_新闻中心_新浪网', '央行宣布下调存款准备金率'],
    ['国务院常务会议研究部署稳外资政策措施_滚动新闻_中国政府网', '国务院常务会议研究部署稳外资政策措施'],
    ['一月份居民消费价格同比上涨0.5% | 人民网', '一月份居民消费价格同比上涨0.5%'],
    ['习近平同法国总统会谈-新华网', '习近平同法国总统会谈'],
    ['暑期文旅消费持续升温--社会--人民网', '暑期文旅消费持续升温'],
    ['夏粮收购进度过半_新闻频道_央视网(cctv.com)', '夏粮收购进度过半'],
    ['上海发布高温预警_澎湃新闻-The Paper', '上海发布高温预警'],
    ['男子酒驾被查_凤凰网资讯_凤凰网', '男子酒驾被查'],
    ['华为发布Mate 70系列手机|网易科技', '华为发布Mate 70系列手机'],
    ['北京：A股三大指数集体收涨 - 21世纪经济报道', '北京：A股三大指数集体收涨'],
    ['台风“摩羯”登陆海南｜新京报', '台风“摩羯”登陆海南'],
    ['高雄港貨櫃量創新高 - 中央社 CNA', '高雄港貨櫃量創新高'],
    ['China economy grows 5% - Chinadaily.com.cn', 'China economy grows 5%'],
    ['青年创业故事——中国青年网', '青年创业故事'],
    ['春耕备耕忙－人民网', '春耕备耕忙'],
  ])('cuts the site name from %s', (title, headline) => {
    expect(stripSiteName(title)).toBe(headline);
  });

  it.each([['新冠COVID-19疫苗接种'], ['上海-北京高铁将提速'], ['奋进新征程——记某某'], ['社区食堂开进老旧小区']])('leaves a headline without a site name alone: %s', (title) => {
    expect(stripSiteName(title)).toBe(title);
  });

  it('cuts a leading site name the page names', () => {
    expect(stripSiteName('示例早报 | 地铁新线今日开通', ['示例早报'])).toBe('地铁新线今日开通');
  });
});
