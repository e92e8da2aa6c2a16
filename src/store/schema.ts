// Types only: Kysely itself is loaded when a migration is to run (src/store/sqlite-migrations.ts, pg/pg-database.ts),
// not by every command that opens an up-to-date database.
import type { ColumnDefinitionBuilder, ColumnDataType, CompiledQuery, Expression, Kysely, sql as SqlTag } from 'kysely';

type DataTypeExpression = ColumnDataType | Expression<unknown>;

/** Kysely's `sql` template tag, handed to the migrations by whoever loaded Kysely. */
export type Sql = typeof SqlTag;

/** The two databases newsdesk stores its news in. */
export type SchemaDialect = 'sqlite' | 'postgres';

/** One DDL statement of a migration, as Kysely's schema builder gives it: compiled for either database, or run. */
export interface SchemaStatement {
  compile(): CompiledQuery;
  execute(): Promise<unknown>;
}

/**
 * One migration: its name (the order they run in, and what Kysely's `kysely_migration` table records) and its
 * statements, written once in Kysely's schema builder and compiled by the dialect of the database at hand.
 * Never edit a migration that has shipped: add a new one.
 */
export interface SchemaMigration {
  name: string;
  statements(db: Kysely<any>, dialect: SchemaDialect, sql: Sql): SchemaStatement[];
}

/** The column types that differ between the two databases; everything else is written the same for both. */
function types(dialect: SchemaDialect, sql: Sql) {
  const pg = dialect === 'postgres';
  return {
    /**
     * A table's id, handed out by the database. SQLite: `INTEGER PRIMARY KEY`, the rowid itself (what every
     * database written so far has). PostgreSQL: an identity column; "by default" so that migrate-store can copy ids.
     */
    id: (col: ColumnDefinitionBuilder) => (pg ? col.generatedByDefaultAsIdentity().primaryKey() : col.primaryKey()),
    idType: (pg ? 'bigint' : 'integer') as DataTypeExpression,
    /** A column holding another table's id. */
    ref: (pg ? 'bigint' : 'integer') as DataTypeExpression,
    /**
     * Text, compared and sorted by code point on both (SQLite's BINARY): PostgreSQL's default collation follows the
     * server's locale, which would sort outlets, channels and days differently from SQLite and from server to server.
     */
    text: (pg ? sql`text collate "C"` : 'text') as DataTypeExpression,
  };
}

/**
 * Every migration, in order. The first nine are the schema versions newsdesk kept by hand before (`PRAGMA
 * user_version` 1..9): a SQLite database written then is adopted by recording that many as already run.
 */
export const MIGRATIONS: readonly SchemaMigration[] = [
  {
    name: '0001-articles-paragraphs-passages',
    statements: (db, d, sql) => {
      const t = types(d, sql);
      return [
        db.schema
          .createTable('articles')
          .addColumn('id', t.idType, t.id)
          .addColumn('dedupe_key', t.text, (c) => c.notNull().unique())
          .addColumn('title', t.text)
          .addColumn('source', t.text, (c) => c.notNull())
          .addColumn('reporter', t.text)
          .addColumn('url', t.text)
          .addColumn('published_at', t.text, (c) => c.notNull())
          .addColumn('ingested_at', t.text, (c) => c.notNull())
          .addColumn('origin', t.text),
        db.schema.createIndex('articles_source').on('articles').column('source'),
        db.schema.createIndex('articles_published').on('articles').column('published_at'),
        db.schema.createIndex('articles_ingested').on('articles').column('ingested_at'),
        db.schema
          .createTable('paragraphs')
          .addColumn('id', t.idType, t.id)
          .addColumn('article_id', t.ref, (c) => c.notNull().references('articles.id').onDelete('cascade'))
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('text', t.text, (c) => c.notNull()),
        db.schema.createIndex('paragraphs_article').on('paragraphs').columns(['article_id', 'position']),
        // A passage is what search returns: a paragraph, or a sentence-aligned window of a long one.
        db.schema
          .createTable('passages')
          .addColumn('id', t.idType, t.id)
          .addColumn('article_id', t.ref, (c) => c.notNull().references('articles.id').onDelete('cascade'))
          .addColumn('paragraph_id', t.ref, (c) => c.notNull().references('paragraphs.id').onDelete('cascade'))
          .addColumn('text', t.text, (c) => c.notNull()),
        db.schema.createIndex('passages_article').on('passages').column('article_id'),
      ];
    },
  },
  {
    name: '0002-subscriptions-deliveries',
    statements: (db, d, sql) => {
      const t = types(d, sql);
      return [
        // One subscription per channel; subscribing again updates it.
        db.schema
          .createTable('subscriptions')
          .addColumn('channel_id', t.text, (c) => c.primaryKey())
          .addColumn('guild_id', t.text, (c) => c.notNull())
          .addColumn('time', t.text, (c) => c.notNull())
          .addColumn('timezone', t.text, (c) => c.notNull())
          .addColumn('keywords', t.text, (c) => c.notNull().defaultTo(''))
          .addColumn('max_items', 'integer', (c) => c.notNull().defaultTo(8))
          .addColumn('quiet_when_empty', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('disabled_reason', t.text)
          .addColumn('created_by', t.text)
          .addColumn('created_at', t.text, (c) => c.notNull())
          .addColumn('updated_at', t.text, (c) => c.notNull()),
        // A delivery is claimed (inserted) before anything is sent and completed after; the unique key makes a
        // second digest for the same channel and local day impossible, whatever crashes in between, and whichever
        // process (or bot sharing the database) tries.
        db.schema
          .createTable('deliveries')
          .addColumn('id', t.idType, t.id)
          .addColumn('channel_id', t.text, (c) => c.notNull())
          .addColumn('local_day', t.text, (c) => c.notNull())
          .addColumn('scheduled_for', t.text, (c) => c.notNull())
          .addColumn('claimed_at', t.text, (c) => c.notNull())
          .addColumn('completed_at', t.text)
          .addColumn('status', t.text, (c) => c.notNull())
          .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('message_ids', t.text, (c) => c.notNull().defaultTo('[]'))
          .addColumn('window_start', t.text)
          .addColumn('window_end', t.text)
          .addColumn('items', 'integer')
          .addColumn('error', t.text)
          .addUniqueConstraint('deliveries_channel_day', ['channel_id', 'local_day']),
        db.schema.createIndex('deliveries_channel').on('deliveries').columns(['channel_id', 'local_day']),
      ];
    },
  },
  {
    name: '0003-feeds',
    statements: (db, d, sql) => {
      const t = types(d, sql);
      return [
        db.schema
          .createTable('feeds')
          .addColumn('id', t.idType, t.id)
          .addColumn('url', t.text, (c) => c.notNull().unique())
          .addColumn('name', t.text)
          .addColumn('every_minutes', 'integer', (c) => c.notNull().defaultTo(15))
          .addColumn('etag', t.text)
          .addColumn('last_modified', t.text)
          .addColumn('added_by', t.text)
          .addColumn('created_at', t.text, (c) => c.notNull())
          .addColumn('last_polled_at', t.text)
          .addColumn('last_success_at', t.text)
          .addColumn('next_poll_at', t.text, (c) => c.notNull())
          .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('last_error', t.text)
          .addColumn('items_seen', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('articles_added', 'integer', (c) => c.notNull().defaultTo(0)),
        // Items already taken from a feed, by their most stable key, so a re-sent or re-dated item is not new; the
        // key makes an item stored once when two processes poll the same feed.
        db.schema
          .createTable('feed_items')
          .addColumn('feed_id', t.ref, (c) => c.notNull().references('feeds.id').onDelete('cascade'))
          .addColumn('item_key', t.text, (c) => c.notNull())
          .addColumn('first_seen_at', t.text, (c) => c.notNull())
          .addColumn('article_id', t.ref)
          // SQLite keeps insertion order in the rowid; PostgreSQL has no such thing, so it gets a column for it.
          .$call((b) => (d === 'postgres' ? b.addColumn('seq', 'bigint', (c) => c.generatedByDefaultAsIdentity()) : b))
          .addPrimaryKeyConstraint('feed_items_key', ['feed_id', 'item_key']),
      ];
    },
  },
  {
    name: '0004-feed-guild',
    // The server whose admin added a feed (NULL: the owner, on the command line). Admins see and remove their own.
    statements: (db, d, sql) => [db.schema.alterTable('feeds').addColumn('guild_id', types(d, sql).text)],
  },
  {
    name: '0005-delivery-settings',
    // What a delivery was built with, so a delivery resumed after a crash rebuilds the very same digest.
    statements: (db, d, sql) => [
      db.schema.alterTable('deliveries').addColumn('keywords', types(d, sql).text),
      db.schema.alterTable('deliveries').addColumn('max_items', 'integer'),
    ],
  },
  {
    name: '0006-published-day-feed-zone',
    // The article's local day (YYYY-MM-DD in its outlet's zone): what answers, /latest, digests and --since/--until
    // show and filter by. published_at stays the instant (older rows may hold a bare day). Rows stored before this
    // migration get their day from published_at when the store opens (Store.backfillPublishedDays). A feed's own
    // zone for times without an offset (NULL: NEWSDESK_TIMEZONE), and what its last poll read leniently or skipped.
    statements: (db, d, sql) => {
      const t = types(d, sql);
      return [
        db.schema.alterTable('articles').addColumn('published_day', t.text),
        db.schema.createIndex('articles_day').on('articles').column('published_day'),
        db.schema.alterTable('feeds').addColumn('timezone', t.text),
        db.schema.alterTable('feeds').addColumn('last_warnings', t.text),
        db.schema.alterTable('feeds').addColumn('last_skipped', t.text),
      ];
    },
  },
  {
    name: '0007-tombstones-change-log',
    statements: (db, d, sql) => {
      const t = types(d, sql);
      return [
        // What an owner removed, by dedupe key, so a later ingest or feed poll does not bring it back.
        db.schema
          .createTable('tombstones')
          .addColumn('dedupe_key', t.text, (c) => c.primaryKey())
          .addColumn('article_id', t.ref, (c) => c.notNull())
          .addColumn('title', t.text)
          .addColumn('source', t.text, (c) => c.notNull())
          .addColumn('url', t.text)
          .addColumn('published_at', t.text, (c) => c.notNull())
          .addColumn('published_day', t.text)
          .addColumn('removed_at', t.text, (c) => c.notNull())
          .addColumn('removed_by', t.text)
          .addColumn('reason', t.text),
        // Removals and corrections in the order they happened: the index (a cache of the store, caught up by
        // passage id) and the in-memory article facts of every process catch up on these by sequence number.
        db.schema
          .createTable('article_changes')
          .addColumn('seq', t.idType, (c) => (d === 'postgres' ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('article_id', t.ref, (c) => c.notNull())
          .addColumn('kind', t.text, (c) => c.notNull().check(sql`kind IN ('removed', 'edited')`))
          .addColumn('at', t.text, (c) => c.notNull()),
      ];
    },
  },
  {
    name: '0008-feed-item-pages',
    // A feed item stored with only its summary because its page failed to load: the page is fetched again at later
    // polls (page_attempts of them at most) and replaces the summary. NULL once it has, or once attempts ran out.
    statements: (db, d, sql) => [
      db.schema.alterTable('feed_items').addColumn('page_url', types(d, sql).text),
      db.schema.alterTable('feed_items').addColumn('page_attempts', 'integer', (c) => c.notNull().defaultTo(0)),
    ],
  },
  {
    name: '0009-subscription-locale',
    // The language of a digest's own words (headers, "no new articles"); article text is never translated. Existing
    // subscriptions keep the Chinese header they had; new ones store the language chosen or the server's.
    statements: (db, d, sql) => [db.schema.alterTable('subscriptions').addColumn('locale', types(d, sql).text, (c) => c.notNull().defaultTo('zh-CN'))],
  },
];

/** The migrations as Kysely's Migrator takes them (its MigrationProvider), for the dialect of `dialect`. */
export function kyselyMigrations(dialect: SchemaDialect, sql: Sql) {
  return {
    getMigrations: async () =>
      Object.fromEntries(
        MIGRATIONS.map((m) => [
          m.name,
          {
            up: async (db: Kysely<any>) => {
              for (const statement of m.statements(db, dialect, sql)) await statement.execute();
            },
          },
        ]),
      ),
  };
}
