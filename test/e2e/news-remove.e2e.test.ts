import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NewsIntake } from '../../src/feeds/background.js';
import { rss, startFeedServer, xml } from '../feeds/feed-server.js';
import { BotRun, CALLBACK, EPHEMERAL, MANAGE_SERVER, MEMBER_ID, OTHER_MEMBER_ID, passagesOf, removeTempDirs } from './bot-harness.js';
import { privateReply } from './private-reply.js';
import { TUNNEL, TUNNEL_QUESTION as QUESTION } from './tunnel-item.js';
import type { InjectedInteraction } from './discord-emulator/index.js';

const STRING = 3;

/** A news item no bundled sample mentions, as this server's feed publishes it. */

let bot: BotRun | undefined;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await bot?.stop();
  bot = undefined;
});
afterAll(removeTempDirs);


function slash(run: BotRun, name: string, subcommand: string, options: Record<string, string>, from: { userId?: string; memberPermissions?: string } = { memberPermissions: MANAGE_SERVER }) {
  return run.emu.sendSlashCommand({
    name,
    subcommand,
    options: Object.entries(options).map(([n, value]) => ({ name: n, type: STRING, value })),
    userId: from.userId ?? MEMBER_ID,
    ...(from.memberPermissions ? { memberPermissions: from.memberPermissions } : {}),
  });
}

async function askPassages(run: BotRun, question: string): Promise<string> {
  const responses = await run.settled(await run.ask(question));
  return passagesOf(responses.at(-1)?.embeds?.[0]?.description).join('\n').replaceAll('**', '');
}

/** A bot following one feed this server's admin added, polled once, so the tunnel story is in the index. */
async function botWithTunnel() {
  bot = await BotRun.start({ urlPolicy: { allowPrivate: true } });
  const run = bot;
  const server = await startFeedServer({ '/rss.xml': xml(rss([TUNNEL], '海峡日报')) });
  cleanups.push(server.close);
  const intake = new NewsIntake({ desk: run.desk, fetch: globalThis.fetch, policy: { allowPrivate: true }, now: run.clock.now, log: run.log });
  cleanups.push(() => intake.stop());
  await privateReply(run, await slash(run, 'feeds', 'add', { url: server.url('/rss.xml'), name: '测试台' }));
  run.clock.advance(60_000);
  await intake.tick();
  expect(await askPassages(run, QUESTION)).toContain('隧道全长约28公里');
  /** Moves the clock to the feed's next poll and lets the bot poll it. */
  const pollAgain = async () => {
    run.clock.advanceTo((await run.desk.store.feeds.list())[0]!.nextPollAt);
    await intake.tick();
  };
  return { run, server, pollAgain };
}

describe('/news remove, end to end', () => {
  it("takes down an article this server's feed brought: it leaves the answers at once and the feed does not bring it back, even followed anew", async () => {
    const { run, server, pollAgain } = await botWithTunnel();

    const reply = await privateReply(run, await slash(run, 'news', 'remove', { article: '琼州海峡跨海隧道' }));
    expect(reply).toMatch(/^Removed #\d+ 琼州海峡跨海隧道全线贯通 · 测试台 · 2025-02-20\. It no longer appears in answers or digests, and its feed will not bring it back\.$/);
    expect(await askPassages(run, QUESTION)).not.toContain('琼州海峡');

    await pollAgain();
    expect(server.hits('/rss.xml')).toBe(2);
    expect(await askPassages(run, QUESTION)).not.toContain('琼州海峡');

    // Unfollowed and followed again, the feed's memory of its items is gone; the removal still holds.
    await privateReply(run, await slash(run, 'feeds', 'remove', { feed: '测试台' }));
    await privateReply(run, await slash(run, 'feeds', 'add', { url: server.url('/rss.xml'), name: '测试台' }));
    await pollAgain();
    expect(server.hits('/rss.xml')).toBe(3);
    expect(await askPassages(run, QUESTION)).not.toContain('琼州海峡');
  });

  it('refuses a member without Manage Server, and the article stays', async () => {
    const { run } = await botWithTunnel();
    const refused = await privateReply(run, await slash(run, 'news', 'remove', { article: '琼州海峡跨海隧道' }, { userId: OTHER_MEMBER_ID }));
    expect(refused).toBe('Only members with the Manage Server permission can remove news.');
    expect(await askPassages(run, QUESTION)).toContain('隧道全长约28公里');
  });

  it("refuses to remove the owner's news (no feed of this server brought it), and says who can", async () => {
    const { run } = await botWithTunnel();
    const refused = await privateReply(run, await slash(run, 'news', 'remove', { article: '特斯拉上海储能超级工厂投产' }));
    expect(refused).toMatch(/^#\d+ 特斯拉上海储能超级工厂投产 · 本报 · 2025-02-12 was not brought by this server's feeds: only the bot's owner can remove it\.$/);
    expect(await askPassages(run, '特斯拉上海储能超级工厂用了多久建成?')).toContain('特斯拉');
    expect(await privateReply(run, await slash(run, 'news', 'remove', { article: '没有这篇文章' }))).toBe('No article matches "没有这篇文章". Give the article\'s id, its URL or words of its title.');
  });
});
