import { describe, expect, it } from 'vitest';
import { TERMINAL_DISPLAY } from '../../src/cli/terminal-text.js';
import { DISCORD_DISPLAY, safeUrl } from '../../src/discord/escape.js';
import { describeFeed } from '../../src/feeds/describe-feed.js';
import type { Feed } from '../../src/store/feed-store.js';
import { markupOf } from '../helpers/discord-markup.js';
import { HOSTILE_STRINGS, HOSTILE_URLS } from '../helpers/untrusted-fixtures.js';

/** A feed as the store holds it after a failed poll: its name and its last error are what the feed's server wrote. */
function hostileFeed(text: string, url: string): Feed {
  return {
    id: 7,
    url,
    name: text,
    everyMinutes: 15,
    etag: null,
    lastModified: null,
    addedBy: 'command line',
    guildId: null,
    createdAt: '2025-02-20T08:00:00.000Z',
    lastPolledAt: '2025-02-20T08:00:00.000Z',
    lastSuccessAt: null,
    nextPollAt: '2025-02-20T08:30:00.000Z',
    failures: 1,
    lastError: `news.example answered 500 ${text}`,
    itemsSeen: 0,
    articlesAdded: 0,
    timezone: null,
    lastWarnings: [],
    lastSkipped: [],
  };
}

describe('a feed’s line in /feeds list', () => {
  it.each(HOSTILE_STRINGS)('shows a feed named $name, and the error its server sent, as plain text on one line', ({ text }) => {
    const url = 'https://news.example/rss.xml?x=(1)';
    const line = describeFeed(hostileFeed(text, url), DISCORD_DISPLAY);
    expect(line).not.toContain('\n');
    // The feed's own address stays clickable (with no preview); nothing else is markup.
    expect(markupOf(line)).toEqual([{ type: 'autolink', target: safeUrl(url), text: safeUrl(url) }]);
  });

  it.each(HOSTILE_URLS)('shows a feed at $name as its address, never as markup of the address’s making', ({ url }) => {
    const markup = markupOf(describeFeed(hostileFeed('测试台', url), DISCORD_DISPLAY));
    const target = safeUrl(url);
    expect(markup).toEqual(target ? [{ type: 'autolink', target, text: target }] : []);
  });
});

describe('a feed’s line in `feeds list` on a terminal', () => {
  it.each(HOSTILE_STRINGS)('prints a feed named $name on its one line, with no control character or escape sequence of its own', ({ text }) => {
    const line = describeFeed(hostileFeed(text, 'https://news.example/rss.xml'), TERMINAL_DISPLAY);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});
