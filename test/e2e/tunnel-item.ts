/** One RSS item the feed e2e tests serve: a tunnel report with enough text to be stored without its page. */
export const TUNNEL = {
  title: '琼州海峡跨海隧道全线贯通',
  guid: 'qiongzhou-tunnel-1',
  pubDate: 'Thu, 20 Feb 2025 07:30:00 GMT',
  description:
    '<p>琼州海峡跨海隧道今天上午全线贯通,隧道全长约28公里,其中海底段长约20公里,是目前国内最长的海底铁路隧道。</p>' +
    '<p>建设单位表示,隧道采用盾构法施工,历时五年完成掘进,预计2027年底正式通车,届时从海口到湛江的铁路旅行时间将缩短到一个半小时。</p>',
};

/** A question only the tunnel item answers. */
export const TUNNEL_QUESTION = '琼州海峡跨海隧道全长多少公里?';
