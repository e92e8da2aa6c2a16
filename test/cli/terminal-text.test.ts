import { afterEach, describe, expect, it } from 'vitest';
import { terminalText } from '../../src/cli/terminal-text.js';
import { startFeedServer, xml } from '../feeds/feed-server.js';
import { writeJsonl } from '../helpers/articles.js';
import { runNode, type NodeRun } from '../helpers/run-node.js';
import { HOSTILE_KEYWORD, hostileArticles } from '../helpers/hostile-news.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { HOSTILE_STRINGS } from '../helpers/untrusted-fixtures.js';

const tempDir = useTempDir();
const servers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/**
 * Runs the real command line as `npm run newsdesk -- …` would, without blocking this process, so a local feed
 * server in the test can answer it.
 */
function newsdesk(args: string[], env: Record<string, string>): Promise<NodeRun> {
  return runNode(['--import', 'tsx', 'src/cli.ts', ...args], { env: { ...process.env, LOG_LEVEL: '', NEWSDESK_ALLOW_PRIVATE_URLS: '', ...env } });
}

/** Anything that can drive a terminal or reorder what follows: C0 controls but tab and line feed, DEL, C1, bidi controls. */
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminalText', () => {
  it.each(HOSTILE_STRINGS)('prints $name with no control character or escape sequence left', ({ text }) => {
    expect(terminalText(text)).not.toMatch(TERMINAL_CONTROL);
  });

  it('drops whole escape sequences and keeps the words around them', () => {
    expect(terminalText('\u001b[31m红字\u001b[0m \u001b]8;;https://evil.example\u0007链接\u001b]8;;\u0007 \u001b[2J清屏')).toBe('红字 链接 清屏');
  });
});

describe('the command line with articles and feeds written by someone hostile', () => {
  it('prints answers, sources and the digest with no terminal escape sequence from an article', async () => {
    const dataDir = tempDir();
    const file = writeJsonl(tempDir(), hostileArticles());
    const env = { NEWSDESK_DATA_DIR: dataDir };
    const ingest = await newsdesk(['ingest', file], env);
    // One hostile record's URL is no URL: it is skipped and named, so the ingest exits 1 (something not stored).
    expect(ingest.stdout).toMatch(/Skipped 1 record inside files:\n.*url: Invalid URL/);
    expect(ingest.status).toBe(1);

    for (const args of [['ask', HOSTILE_KEYWORD, '--top', '50'], ['sources'], ['digest', '--preview', '--since', '2025-01-01', '--max', '50']]) {
      const { stdout, stderr, status } = await newsdesk(args, env);
      expect(status, `${args.join(' ')}: ${stderr}`).toBe(0);
      // What the articles said is still printed: only the controls are gone.
      expect(stdout, args[0]).toContain('红字');
      expect(stdout, args[0]).not.toMatch(TERMINAL_CONTROL);
    }
  }, 240_000);

  it('lists a feed whose name and whose server’s error carry escape sequences as plain text', async () => {
    // The status line's bytes C2 9B are U+009B in UTF-8, as the client decodes them: "CSI 2J" clears a terminal.
    const server = await startFeedServer({ '/rss.xml': (_req, res) => res.writeHead(500, '\u00c2\u009b2J Broken').end() });
    servers.push(server);
    const env = { NEWSDESK_DATA_DIR: tempDir(), NEWSDESK_ALLOW_PRIVATE_URLS: 'true' };
    const added = await newsdesk(['feeds', 'add', server.url('/rss.xml'), '--name', '\u001b]0;pwned\u0007测试台\u001b[2J'], env);
    expect(added.status).toBe(0);
    const polled = await newsdesk(['feeds', 'poll', '--all'], env);
    expect(polled.stdout).toMatch(/failed: .*answered 500/);
    const listed = await newsdesk(['feeds', 'list'], env);
    expect(listed.stdout).toMatch(/#1 测试台 http:\/\/127\.0\.0\.1:\d+\/rss\.xml .* answered 500 Broken/);
    for (const out of [added.stdout, polled.stdout, listed.stdout]) expect(out).not.toMatch(TERMINAL_CONTROL);
  }, 120_000);

  it('refuses to follow a feed at http://[::ffff:127.0.0.1]:PORT/ and sends it no request (rel-01)', async () => {
    const server = await startFeedServer({ '/feed.xml': xml('<rss version="2.0"><channel><title>internal</title><item><guid>1</guid><title>secret</title></item></channel></rss>') });
    servers.push(server);
    const port = new URL(server.url('/')).port;
    const env = { NEWSDESK_DATA_DIR: tempDir() };
    const added = await newsdesk(['feeds', 'add', `http://[::ffff:127.0.0.1]:${port}/feed.xml`], env);
    // A refused address is a bad argument: exit status 2, as for any usage error.
    expect(added.status).toBe(2);
    expect(added.stderr).toMatch(/::ffff:7f00:1 \(127\.0\.0\.1\) points to a private, loopback or link-local address.*NEWSDESK_ALLOW_PRIVATE_URLS=true/);
    await newsdesk(['feeds', 'poll', '--all'], env);
    expect(server.hits('/feed.xml')).toBe(0);
  }, 120_000);
});
