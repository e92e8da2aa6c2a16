import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse, hits: number) => void;

/** A local HTTP server on 127.0.0.1 serving feed and page fixtures; no test touches the internet. */
export async function startFeedServer(routes: Record<string, Handler>) {
  const hits = new Map<string, number>();
  const requests: Array<{ path: string; headers: IncomingMessage['headers'] }> = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    requests.push({ path, headers: req.headers });
    const handler = routes[path];
    if (!handler) {
      res.writeHead(404).end('not found');
      return;
    }
    handler(req, res, n);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    hits: (path: string) => hits.get(path) ?? 0,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const xml = (body: string, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', ...headers }).end(body);
};

export const html = (body: string | Buffer, contentType = 'text/html; charset=utf-8'): Handler => (_req, res) => {
  res.writeHead(200, { 'content-type': contentType }).end(body);
};

export function rss(items: Array<{ title?: string; link?: string; guid?: string; description?: string; pubDate?: string }>, title = '测试新闻网'): string {
  const item = (i: (typeof items)[number]) =>
    `<item>${i.title ? `<title>${i.title}</title>` : ''}${i.link ? `<link>${i.link}</link>` : ''}${i.guid ? `<guid>${i.guid}</guid>` : ''}` +
    `${i.description ? `<description><![CDATA[${i.description}]]></description>` : ''}${i.pubDate ? `<pubDate>${i.pubDate}</pubDate>` : ''}</item>`;
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${title}</title><link>http://example.com/</link>${items.map(item).join('')}</channel></rss>`;
}

export const LONG_TEXT = (topic: string) =>
  `<p>${topic}今天正式宣布了一项重要进展,引起业内广泛关注。据介绍,这项工作从去年开始筹备,经过多轮论证和试点,目前已经进入全面实施阶段。</p>` +
  `<p>有关负责人表示,${topic}的推进将带动上下游产业协同发展,预计年内将新增就业岗位数千个,并吸引更多企业参与。专家认为,这一举措对于优化营商环境具有示范意义。</p>`;
