/**
 * Migrations, applied in order; `PRAGMA user_version` records how many have run. Never edit a
 * migration that has shipped: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    title TEXT,
    source TEXT NOT NULL,
    reporter TEXT,
    url TEXT,
    published_at TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    origin TEXT
  );
  CREATE INDEX articles_source ON articles(source);
  CREATE INDEX articles_published ON articles(published_at);
  CREATE INDEX articles_ingested ON articles(ingested_at);

  CREATE TABLE paragraphs (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL
  );
  CREATE INDEX paragraphs_article ON paragraphs(article_id, position);

  -- A passage is what search returns: a paragraph, or a sentence-aligned window of a long one.
  CREATE TABLE passages (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
    text TEXT NOT NULL
  );
  CREATE INDEX passages_article ON passages(article_id);
  `,
  `
  -- One subscription per channel; subscribing again updates it.
  CREATE TABLE subscriptions (
    channel_id TEXT PRIMARY KEY,
    guild_id TEXT NOT NULL,
    time TEXT NOT NULL,
    timezone TEXT NOT NULL,
    keywords TEXT NOT NULL DEFAULT '',
    max_items INTEGER NOT NULL DEFAULT 8,
    quiet_when_empty INTEGER NOT NULL DEFAULT 0,
    enabled INTEGER NOT NULL DEFAULT 1,
    disabled_reason TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  -- A delivery is claimed (inserted) before anything is sent and completed after; the unique key makes a
  -- second digest for the same channel and local day impossible, whatever crashes in between.
  CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    channel_id TEXT NOT NULL,
    local_day TEXT NOT NULL,
    scheduled_for TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    completed_at TEXT,
    status TEXT NOT NULL,
    late INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    message_ids TEXT NOT NULL DEFAULT '[]',
    window_start TEXT,
    window_end TEXT,
    items INTEGER,
    error TEXT,
    UNIQUE (channel_id, local_day)
  );
  CREATE INDEX deliveries_channel ON deliveries(channel_id, local_day);
  `,
  `
  CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    name TEXT,
    every_minutes INTEGER NOT NULL DEFAULT 15,
    etag TEXT,
    last_modified TEXT,
    added_by TEXT,
    created_at TEXT NOT NULL,
    last_polled_at TEXT,
    last_success_at TEXT,
    next_poll_at TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    items_seen INTEGER NOT NULL DEFAULT 0,
    articles_added INTEGER NOT NULL DEFAULT 0
  );

  -- Items already taken from a feed, by their most stable key, so a re-sent or re-dated item is not new.
  CREATE TABLE feed_items (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    item_key TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    article_id INTEGER,
    PRIMARY KEY (feed_id, item_key)
  );
  `,
  `
  -- The server whose admin added a feed (NULL: the owner, on the command line). Admins see and remove their own.
  ALTER TABLE feeds ADD COLUMN guild_id TEXT;
  `,
  `
  -- What a delivery was built with, so a delivery resumed after a crash rebuilds the very same digest.
  ALTER TABLE deliveries ADD COLUMN keywords TEXT;
  ALTER TABLE deliveries ADD COLUMN max_items INTEGER;
  `,
  `
  -- The article's local day (YYYY-MM-DD in its outlet's zone): what answers, /latest, digests and --since/--until
  -- show and filter by. published_at stays the instant (older rows may hold a bare day). Rows stored before this
  -- migration get their day from published_at when the store opens (Store.backfillPublishedDays).
  ALTER TABLE articles ADD COLUMN published_day TEXT;
  CREATE INDEX articles_day ON articles(published_day);
  -- A feed's own zone for times without an offset (NULL: NEWSDESK_TIMEZONE), and what its last poll read
  -- leniently or skipped, for feeds list.
  ALTER TABLE feeds ADD COLUMN timezone TEXT;
  ALTER TABLE feeds ADD COLUMN last_warnings TEXT;
  ALTER TABLE feeds ADD COLUMN last_skipped TEXT;
  `,
  `
  -- What an owner removed, by dedupe key, so a later ingest or feed poll does not bring it back.
  CREATE TABLE tombstones (
    dedupe_key TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL,
    title TEXT,
    source TEXT NOT NULL,
    url TEXT,
    published_at TEXT NOT NULL,
    published_day TEXT,
    removed_at TEXT NOT NULL,
    removed_by TEXT,
    reason TEXT
  );
  -- Removals and corrections in the order they happened: the index (a cache of the store, caught up by passage id)
  -- and the in-memory article facts of every process catch up on these by sequence number.
  CREATE TABLE article_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('removed', 'edited')),
    at TEXT NOT NULL
  );
  `,
  `
  -- A feed item stored with only its summary because its page failed to load: the page is fetched again at later
  -- polls (page_attempts of them at most) and replaces the summary. NULL once it has, or once attempts ran out.
  ALTER TABLE feed_items ADD COLUMN page_url TEXT;
  ALTER TABLE feed_items ADD COLUMN page_attempts INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- The language of a digest's own words (headers, "no new articles"); article text is never translated. Existing
  -- subscriptions keep the Chinese header they had; new ones store the language chosen or the server's.
  ALTER TABLE subscriptions ADD COLUMN locale TEXT NOT NULL DEFAULT 'zh-CN';
  `,
];
