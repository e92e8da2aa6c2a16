import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BotRun, buttons, CALLBACK, EPHEMERAL, passagesOf, removeTempDirs } from './bot-harness.js';
import type { InteractionResponseRecord } from './discord-emulator/index.js';

const QUESTION = '上海';

let run: BotRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});
afterAll(removeTempDirs);

function moreButton(r: InteractionResponseRecord | undefined) {
  const more = buttons(r).find((b) => b.label?.includes('More'));
  if (!more?.custom_id) throw new Error(`no More button in ${JSON.stringify(r?.components)}`);
  return { customId: more.custom_id, disabled: more.disabled === true };
}

/** A passage's quoted text without its rank, so the same passage on two pages compares equal. */
const quotes = (r: InteractionResponseRecord | undefined) => passagesOf(r?.embeds?.[0]?.description).map((p) => p.replace(/^\*\*\d+\*\* /, ''));

describe('paging an /ask answer with its buttons', () => {
  it('keeps paging after the bot restarts: the old message’s More shows the next passages, none repeated', async () => {
    run = await BotRun.start();
    const asked = await run.ask(QUESTION);
    const [, first] = await run.settled(asked);
    const messageId = run.emu.originalMessage(asked.token)?.id;
    const firstQuotes = quotes(first);
    expect(firstQuotes).toHaveLength(3);
    expect(first?.embeds?.[0]?.footer?.text).toMatch(/^1–3 \//);
    const more = moreButton(first);
    expect(more.disabled).toBe(false);

    // A new process: new client, new Newsdesk on the same data dir, nothing kept in memory.
    await run.restart();
    const clicked = await run.emu.clickButton({ customId: more.customId, messageId, userId: '1300000000000000043' });
    const [ack, edit] = await run.settled(clicked);
    const update = edit;

    expect(ack).toMatchObject({ kind: 'callback', type: CALLBACK.deferredUpdate });
    expect(edit).toMatchObject({ kind: 'edit-original', allowed_mentions: { parse: [] } });
    expect(update?.embeds?.[0]?.title).toBe(QUESTION);
    expect(update?.embeds?.[0]?.footer?.text).toMatch(/^4–/);
    expect(update?.embeds?.[0]?.description).toMatch(/^\*\*4\*\* /);
    const secondQuotes = quotes(update);
    expect(secondQuotes.length).toBeGreaterThan(0);
    for (const q of secondQuotes) expect(firstQuotes).not.toContain(q);
    // More stays clickable only while there is more to show.
    const [, shownTo, total] = /^\d+–(\d+) \/ (\d+)/.exec(update?.embeds?.[0]?.footer?.text ?? '') ?? [];
    expect(moreButton(update).disabled).toBe(shownTo === total);
    // The same message was turned to the next page, not a new one posted.
    expect(run.emu.message(messageId ?? '')?.embeds[0]?.footer?.text).toMatch(/^4–/);

    // And back again, to exactly the first page.
    const back = buttons(update).find((b) => b.label?.includes('Back'));
    expect(back?.custom_id).toBeDefined();
    const [, backAgain] = await run.settled(await run.emu.clickButton({ customId: back!.custom_id!, messageId }));
    expect(quotes(backAgain)).toEqual(firstQuotes);
  });

  it('pages a hidden answer privately and keeps the outlet filter on the next page', async () => {
    // Three more 三里河 pieces about 上海, so that outlet alone fills more than one page.
    const extra = ['外滩观光隧道完成改造', '上海地铁新线开通', '上海图书馆东馆开放'].map((title, i) => ({
      title,
      text: `${title}。上海市民可以从本周起前往体验,这是上海今年的第${i + 1}件实事项目。`,
      source: '三里河',
      publishedAt: `2025-02-1${i}`,
    }));
    run = await BotRun.start({ extraArticles: extra });
    const asked = await run.ask(QUESTION, { hide: true, source: '三里河' });
    const [, first] = await run.settled(asked);
    const more = moreButton(first);
    expect(more.disabled).toBe(false);

    const [ack, update] = await run.settled(await run.emu.clickButton({ customId: more.customId, messageId: run.emu.originalMessage(asked.token)!.id }));

    expect(ack).toMatchObject({ kind: 'callback', type: CALLBACK.deferredUpdate });
    expect(update).toMatchObject({ kind: 'edit-original' });
    const next = passagesOf(update?.embeds?.[0]?.description);
    expect(next.length).toBeGreaterThan(0);
    for (const p of next) expect(p).toContain(' · 三里河 · ');
    expect(update?.embeds?.[0]?.footer?.text).toContain('三里河');
    expect(run.emu.originalMessage(asked.token)?.flags).toBe(EPHEMERAL);
  });

  it('answers a forged or stale button privately and clearly, without touching the message', async () => {
    run = await BotRun.start();
    // Not on any answer: the emulator shows it on a bare bot message, as an old or forged one would be.
    const clicked = await run.emu.clickButton({ customId: 'ask|3|0|AAAAAAAAAAAA|' });
    const forged = await run.settled(clicked);
    // Acknowledged first (the message stays as it was), then a private note.
    expect(forged.map((r) => [r.kind, r.type])).toEqual([['callback', CALLBACK.deferredUpdate], ['follow-up', undefined]]);
    expect(forged[1]).toMatchObject({ flags: EPHEMERAL });
    expect(forged[1]?.content).toMatch(/no longer matches its question.*\/ask/);
    expect(run.emu.originalMessage(clicked.token)?.components?.[0]?.components?.[0]?.custom_id).toBe('ask|3|0|AAAAAAAAAAAA|');

    const foreign = await run.settled(await run.emu.clickButton({ customId: 'vote|yes' }));
    expect(foreign[0]).toMatchObject({ kind: 'callback', type: CALLBACK.reply, flags: EPHEMERAL });
    expect(foreign[0]?.content).toMatch(/no longer in use/);
    expect(run.log.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  // Case rel-07-first-question-stalls-bot: the click used to be acknowledged only after the page was computed, so a
  // slow search (the first after a start, or a busy machine) lost it. Checked by order, not by time: when the bot
  // searches, Discord must already have the acknowledgement.
  it('acknowledges a More click and an /ask before it searches, so a slow search never loses them', async () => {
    const acknowledgedAtSearch: string[][] = [];
    run = await BotRun.start({
      wrapDesk: (desk) => {
        const ask = desk.ask.bind(desk);
        desk.ask = (...args) => {
          acknowledgedAtSearch.push(run!.emu.requests.filter((r) => r.path.endsWith('/callback') && r.status < 300).map((r) => r.path));
          return ask(...args);
        };
        return desk;
      },
    });
    const asked = await run.ask(QUESTION);
    const [, first] = await run.settled(asked);
    const clicked = await run.emu.clickButton({ customId: moreButton(first).customId, messageId: run.emu.originalMessage(asked.token)!.id });
    await run.settled(clicked);

    expect(acknowledgedAtSearch).toHaveLength(2);
    expect(acknowledgedAtSearch[0]).toContain(`/interactions/${asked.interactionId}/${asked.token}/callback`);
    expect(acknowledgedAtSearch[1]).toContain(`/interactions/${clicked.interactionId}/${clicked.token}/callback`);
  });
});
