import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NewsIntake } from '../../src/feeds/background.js';
import { rss, startFeedServer, xml, type Handler } from '../feeds/feed-server.js';
import type { BotRunOptions } from './bot-harness.js';
import { BotRun, CALLBACK, GUILD_ID, EPHEMERAL, MANAGE_SERVER, MEMBER_ID, OTHER_MEMBER_ID, passagesOf, removeTempDirs } from './bot-harness.js';
import { privateReply } from './private-reply.js';
import { TUNNEL, TUNNEL_QUESTION } from './tunnel-item.js';
import type { InjectedInteraction, PostedMessage, SlashCommandOptionInput } from './discord-emulator/index.js';
import { readerText } from '../helpers/discord-markup.js';

const STRING = 3;
const CHANNEL = 7;
const DIGEST_CHANNEL_ID = '1300000000000000003';
/** What the owner sets with NEWSDESK_ALLOW_PRIVATE_URLS=true: the tests' feeds live on 127.0.0.1. */
const OWNER_ALLOWS_PRIVATE = { urlPolicy: { allowPrivate: true } } satisfies BotRunOptions;

/** A news item no bundled sample mentions, as a local feed publishes it. */

let bot: BotRun | undefined;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await bot?.stop();
  bot = undefined;
});
afterAll(removeTempDirs);

async function startBot(options: BotRunOptions = {}): Promise<BotRun> {
  bot = await BotRun.start({ channels: [{ id: DIGEST_CHANNEL_ID, name: 'digest' }], ...options });
  return bot;
}

async function feedServer(routes: Record<string, Handler>) {
  const server = await startFeedServer(routes);
  cleanups.push(server.close);
  return server;
}

/**
 * The bot's news intake on the running desk and clock, as `npm start` wires it. Never started: the test
 * runs it with `tick()`, where the bot would on its timer.
 */
function intakeOf(run: BotRun): NewsIntake {
  const intake = new NewsIntake({ desk: run.desk, fetch: globalThis.fetch, policy: { allowPrivate: true }, now: run.clock.now, log: run.log });
  cleanups.push(() => intake.stop());
  return intake;
}

/** `/feeds <subcommand>` in #news, by an admin unless another member is given. */
function feeds(run: BotRun, subcommand: string, options: Record<string, string> = {}, from: { userId?: string; memberPermissions?: string } = { memberPermissions: MANAGE_SERVER }): Promise<InjectedInteraction> {
  const typed: SlashCommandOptionInput[] = Object.entries(options).map(([name, value]) => ({ name, type: STRING, value }));
  return run.emu.sendSlashCommand({ name: 'feeds', subcommand, options: typed, userId: from.userId ?? MEMBER_ID, ...(from.memberPermissions ? { memberPermissions: from.memberPermissions } : {}) });
}

/** The one private reply to a `/feeds` command, as its user reads it. */

/** The numbered passages of a member's `/ask`, with the bold markers rendered away. */
async function askPassages(run: BotRun, question: string): Promise<string[]> {
  const responses = await run.settled(await run.ask(question));
  return passagesOf(responses.at(-1)?.embeds?.[0]?.description).map((p) => p.replaceAll('**', ''));
}

function digestStories(messages: PostedMessage[]) {
  return messages.flatMap((m) => m.embeds.flatMap((e) => e.fields ?? []));
}

describe('/feeds add, end to end: news arrives by itself while the bot runs', () => {
  it('follows a feed an admin adds, and its new item becomes the top answer, under the given outlet name, and part of the next digest, without a restart', async () => {
    const run = await startBot(OWNER_ALLOWS_PRIVATE);
    // The channel title differs from the name the admin gives, which is what the outlet must be called.
    const server = await feedServer({ '/rss.xml': xml(rss([TUNNEL], '海峡日报')) });
    const url = server.url('/rss.xml');
    const intake = intakeOf(run);

    const confirmed = await privateReply(run, await feeds(run, 'add', { url, name: '测试台' }));
    // As the admin reads it: the feed's address is a link without a preview, markdown escapes do not show.
    expect(readerText(confirmed)).toMatch(new RegExp(`^Following: #\\d+ 测试台 ${url.replaceAll('.', '\\.')} · every 15 min · 0 articles · not polled yet · `));
    expect(readerText(await privateReply(run, await feeds(run, 'list')))).toMatch(new RegExp(`^#\\d+ 测试台 ${url.replaceAll('.', '\\.')} · every 15 min · 0 articles · not polled yet`));
    // Nothing is known about the tunnel before the feed is polled.
    expect((await askPassages(run, TUNNEL_QUESTION)).join('\n')).not.toContain('琼州海峡');

    run.clock.advance(60_000);
    await intake.tick();

    const [top] = await askPassages(run, TUNNEL_QUESTION);
    expect(top).toContain('隧道全长约28公里');
    expect(top).toContain('琼州海峡跨海隧道全线贯通 · 测试台 · 2025-02-20');
    expect(await privateReply(run, await feeds(run, 'list'))).toMatch(/ 测试台 .* · 1 article · ok · next poll 2025-02-20 08:16 UTC$/);
    expect(server.hits('/rss.xml')).toBe(1);

    // The daily digest, at 18:00 in Shanghai, tells the story and names the feed's outlet.
    const subscribe = await run.digest(
      'subscribe',
      [
        { name: 'channel', type: CHANNEL, value: DIGEST_CHANNEL_ID },
        { name: 'time', type: STRING, value: '18:00' },
        { name: 'timezone', type: STRING, value: 'Asia/Shanghai' },
      ],
      { memberPermissions: MANAGE_SERVER },
    );
    expect((await run.settled(subscribe)).at(-1)?.content).toContain('every day at 18:00 (Asia/Shanghai)');
    run.clock.advanceTo('2025-02-20T10:00:30Z');
    expect(await run.digestService().runDue()).toEqual([{ channelId: DIGEST_CHANNEL_ID, localDay: '2025-02-20', status: 'sent', late: false }]);
    const tunnel = digestStories(run.emu.channelMessages(DIGEST_CHANNEL_ID)).filter((s) => s.name.includes('琼州海峡跨海隧道全线贯通'));
    expect(tunnel).toHaveLength(1);
    expect(tunnel[0]?.value).toContain('测试台');
  });

  it('refuses a loopback address unless the owner allowed private addresses, naming the setting, and stores nothing; a file: URL or a non-URL is refused plainly', async () => {
    const run = await startBot();
    const server = await feedServer({ '/rss.xml': xml(rss([TUNNEL])) });

    const loopback = await privateReply(run, await feeds(run, 'add', { url: server.url('/rss.xml'), name: '测试台' }));
    expect(loopback).toMatch(/^Cannot follow that feed: 127\.0\.0\.1 points to a private, loopback or link-local address, which the bot does not fetch\./);
    expect(loopback).toContain('NEWSDESK_ALLOW_PRIVATE_URLS=true');
    expect(await privateReply(run, await feeds(run, 'add', { url: 'file:///etc/passwd' }))).toBe('Cannot follow that feed: file: URLs cannot be followed: only http and https.');
    expect(await privateReply(run, await feeds(run, 'add', { url: 'not a url' }))).toBe(
      'Cannot follow that feed: "not a url" is not a URL: give the full address, e.g. https://example.com/rss.xml',
    );

    expect(await privateReply(run, await feeds(run, 'list'))).toBe('No feeds yet. Add one with /feeds add.');
    expect(await run.desk.store.feeds.list()).toEqual([]);
    expect(server.hits('/rss.xml')).toBe(0);
  });

  it('refuses /feeds add privately to a member without Manage Server, and follows nothing', async () => {
    const run = await startBot(OWNER_ALLOWS_PRIVATE);
    const server = await feedServer({ '/rss.xml': xml(rss([TUNNEL])) });

    const refused = await privateReply(run, await feeds(run, 'add', { url: server.url('/rss.xml') }, { userId: OTHER_MEMBER_ID }));
    expect(refused).toBe('Only members with the Manage Server permission can manage feeds.');

    expect(await run.desk.store.feeds.list()).toEqual([]);
    await intakeOf(run).tick();
    expect(server.hits('/rss.xml')).toBe(0);
  });
});

describe('/feeds add with a time zone, and what /feeds list says of a feed read leniently', () => {
  it('reads zone-less times in the zone the admin gave, shows the local day in answers, and lists the lenient read and the skipped item', async () => {
    const run = await startBot(OWNER_ALLOWS_PRIVATE);
    const feed =
      '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>台湾新闻 & 评论</title>' +
      `<item><title>${TUNNEL.title}</title><guid>${TUNNEL.guid}</guid><pubDate>2025年02月20日 23:30</pubDate><description><![CDATA[${TUNNEL.description}]]></description></item>` +
      '<item><title>空的快讯</title></item></channel></rss>';
    const server = await feedServer({ '/rss.xml': xml(feed) });
    const badZone = await privateReply(run, await feeds(run, 'add', { url: server.url('/rss.xml'), timezone: 'Taipei' }));
    expect(badZone).toMatch(/^"Taipei" is not a time zone: use an IANA name such as Asia\/Shanghai/);
    expect(await run.desk.store.feeds.list()).toEqual([]);

    expect(await privateReply(run, await feeds(run, 'add', { url: server.url('/rss.xml'), name: '台海台', timezone: 'Asia/Tokyo' }))).toMatch(/ · times in Asia\/Tokyo · /);
    await intakeOf(run).tick();

    // 23:30 in Tokyo is 22:30 in Beijing: still 20 February, the day the answer shows.
    expect((await run.desk.latest(1))[0]).toMatchObject({ publishedAt: '2025-02-20T14:30:00.000Z', publishedDay: '2025-02-20' });
    expect((await askPassages(run, TUNNEL_QUESTION))[0]).toContain('· 台海台 · 2025-02-20');
    // As an admin reads it: the escapes that keep the feed's own text from becoming markdown are not seen.
    const list = (await privateReply(run, await feeds(run, 'list'))).replace(/\\(.)/g, '$1');
    expect(list).toMatch(/ 台海台 .* · 1 article · ok · /);
    expect(list).toMatch(/1 warning: not well-formed XML \(line 1: .*\); read leniently/);
    expect(list).toMatch(/skipped 1: "空的快讯": no text in the item or its page/);
  });
});

describe('/feeds list and remove, end to end', () => {
  it('shows a feed failing three times in a row as UNHEALTHY with the reason, and as ok once it answers again', async () => {
    const run = await startBot(OWNER_ALLOWS_PRIVATE);
    let failing = true;
    const server = await feedServer({
      '/flaky.xml': (req, res, n) => (failing ? void res.writeHead(500).end('oops') : xml(rss([TUNNEL]))(req, res, n)),
    });
    const intake = intakeOf(run);
    await privateReply(run, await feeds(run, 'add', { url: server.url('/flaky.xml'), name: '测试台' }));
    /** Moves the clock to the feed's next poll (backing off after each failure) and lets the bot poll. */
    const pollWhenDue = async () => {
      run.clock.advanceTo((await run.desk.store.feeds.list())[0]!.nextPollAt);
      await intake.tick();
    };

    await pollWhenDue();
    expect(readerText(await privateReply(run, await feeds(run, 'list')))).toMatch(/ · last poll failed \(1 failure in a row, retrying\): 127\.0\.0\.1:\d+ answered 500 Internal Server Error · /);
    await pollWhenDue();
    await pollWhenDue();
    const unhealthy = readerText(await privateReply(run, await feeds(run, 'list')));
    expect(unhealthy).toMatch(/ 测试台 .* · 0 articles · UNHEALTHY \(3 failures in a row\): 127\.0\.0\.1:\d+ answered 500 Internal Server Error · next poll /);
    expect(server.hits('/flaky.xml')).toBe(3);

    failing = false;
    await pollWhenDue();
    const recovered = await privateReply(run, await feeds(run, 'list'));
    expect(recovered).toMatch(/ 测试台 .* · 1 article · ok · next poll /);
    expect(recovered).not.toMatch(/UNHEALTHY|failed|500/);
    expect((await askPassages(run, TUNNEL_QUESTION))[0]).toContain('· 测试台 ·');
  });

  it('lists as many whole feeds as fit in one message and says how many more there are', async () => {
    const run = await startBot(OWNER_ALLOWS_PRIVATE);
    for (let n = 1; n <= 40; n++) await run.desk.store.feeds.add({ url: `https://news${n}.example.com/feeds/china/rss.xml`, name: `地方新闻台${n}`, everyMinutes: 15, guildId: GUILD_ID }, run.clock.now());

    const list = await privateReply(run, await feeds(run, 'list'));

    expect(list.length).toBeLessThanOrEqual(2000);
    const lines = list.split('\n');
    const more = /^… and (\d+) more: `npm run feeds -- list` on the bot's machine shows them all\.$/.exec(lines.at(-1)!);
    expect(more).not.toBeNull();
    const shown = lines.slice(0, -1);
    expect(shown.length + Number(more![1])).toBe(40);
    shown.forEach((line, n) => expect(readerText(line)).toMatch(new RegExp(`^#${n + 1} 地方新闻台${n + 1} https://news${n + 1}\\.example\\.com/feeds/china/rss\\.xml · .* · not polled yet · next poll 2025-02-20 08:00 UTC$`)));
  });

  it("shows and removes only the server's own feeds, never another server's or the owner's", async () => {
    const run = await startBot(OWNER_ALLOWS_PRIVATE);
    const owner = (await run.desk.store.feeds.add({ url: 'https://owner.example.com/rss.xml', name: '站长的源', everyMinutes: 15 }, run.clock.now())).feed;
    await run.desk.store.feeds.add({ url: 'https://other.example.com/rss.xml', name: '别的服务器的源', everyMinutes: 15, guildId: '1300000000000000999' }, run.clock.now());

    expect(await privateReply(run, await feeds(run, 'list'))).toMatch(/No feeds yet/);
    expect(await privateReply(run, await feeds(run, 'remove', { feed: String(owner.id) }))).toMatch(/No feed/);
    expect(await privateReply(run, await feeds(run, 'add', { url: 'https://owner.example.com/rss.xml' }))).toMatch(/already followed for everyone/);
    expect(await run.desk.store.feeds.list()).toHaveLength(2);
  });

  it('stops following a feed removed by name or by id, says its articles stay, and they are still answered', async () => {
    const run = await startBot(OWNER_ALLOWS_PRIVATE);
    const server = await feedServer({ '/rss.xml': xml(rss([TUNNEL])), '/other.xml': xml(rss([])) });
    const intake = intakeOf(run);
    await privateReply(run, await feeds(run, 'add', { url: server.url('/rss.xml'), name: '测试台' }));
    await privateReply(run, await feeds(run, 'add', { url: server.url('/other.xml'), name: '第二台' }));
    await intake.tick();
    const other = (await run.desk.store.feeds.find('第二台'))!;

    expect(readerText(await privateReply(run, await feeds(run, 'remove', { feed: '测试台' })))).toBe(`No longer following ${server.url('/rss.xml')}. Its articles stay in the index.`);
    expect(readerText(await privateReply(run, await feeds(run, 'remove', { feed: String(other.id) })))).toBe(`No longer following ${server.url('/other.xml')}. Its articles stay in the index.`);
    expect(await privateReply(run, await feeds(run, 'remove', { feed: '测试台' }))).toBe('No feed "测试台". /feeds list shows them.');
    expect(await privateReply(run, await feeds(run, 'list'))).toBe('No feeds yet. Add one with /feeds add.');

    const [top] = await askPassages(run, TUNNEL_QUESTION);
    expect(top).toContain('琼州海峡跨海隧道全线贯通 · 测试台 · 2025-02-20');
    // Removed feeds are not polled again, however long the bot runs.
    run.clock.advance(24 * 3_600_000);
    await intake.tick();
    expect(server.hits('/rss.xml')).toBe(1);
    expect(server.hits('/other.xml')).toBe(1);
  });
});
