import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kyselyMigrations, MIGRATIONS } from '../../src/store/schema.js';
import { DATABASE_FILE, Store } from '../../src/store/store.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/store/${name}`, import.meta.url));

/** A data directory holding a copy of a fixture database written by an earlier newsdesk. */
function dataDirWith(name: string): string {
  const dir = join(tempDir(), 'data');
  mkdirSync(dir, { recursive: true });
  copyFileSync(fixture(name), join(dir, DATABASE_FILE));
  return dir;
}

/** Every newsdesk table's columns, foreign keys and indexes, as SQLite describes them (Kysely's own tables left out). */
function describeSchema(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'kysely_%' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]);
    return Object.fromEntries(
      tables.map((table) => [
        table,
        {
          columns: (db.pragma(`table_info(${table})`) as Array<Record<string, unknown>>).map((c) => ({ ...c, type: String(c['type']).toUpperCase() })),
          foreignKeys: (db.pragma(`foreign_key_list(${table})`) as Array<Record<string, unknown>>).map(({ id: _id, ...fk }) => fk),
          indexes: (db.pragma(`index_list(${table})`) as Array<{ name: string; unique: number; origin: string }>)
            .map((i) => ({ name: i.origin === 'c' ? i.name : i.origin, unique: i.unique, columns: (db.pragma(`index_info(${i.name})`) as Array<{ name: string }>).map((c) => c.name) }))
            .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
          // INTEGER PRIMARY KEY makes the id the rowid itself: its table has no separate primary-key index.
          rowidId: /\bid\b[^,]*integer primary key/i.test(String(db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").pluck().get(table))),
        },
      ]),
    );
  } finally {
    db.close();
  }
}

describe('the SQLite schema, defined once with Kysely', () => {
  it('creates a new database with exactly the tables, columns, keys and indexes the hand-written migrations made', () => {
    const dir = join(tempDir(), 'data');
    Store.open(dir).close();
    expect(describeSchema(join(dir, DATABASE_FILE))).toEqual(describeSchema(fixture('schema-9.db')));
  });

  it('gives articles, paragraphs and passages the rowid as their id, handed out in insertion order', () => {
    const dir = join(tempDir(), 'data');
    const store = Store.open(dir);
    const { added } = store.insertArticles(
      [
        { dedupeKey: 'a', paragraphs: ['第一段。', '第二段。'], source: '本报', publishedAt: '2025-02-14' },
        { dedupeKey: 'b', paragraphs: ['第三段。'], source: '本报', publishedAt: '2025-02-14' },
      ],
      '2025-02-15T00:00:00.000Z',
    );
    expect(added.map((a) => a.article.id)).toEqual([1, 2]);
    expect(added.flatMap((a) => a.passages.map((p) => p.id))).toEqual([1, 2, 3]);
    expect(store.db.prepare('SELECT rowid = id FROM passages').pluck().all()).toEqual([1, 1, 1]);
    store.close();
  });

  it('adopts a database written by the hand-written migrations: keeps every row, records its migrations as run, and runs none again', () => {
    const dir = dataDirWith('schema-9.db');
    const store = Store.open(dir, { zone: 'Asia/Shanghai' });
    expect(store.latest(10).map((a) => a.title)).toEqual(['特斯拉上海储能超级工厂投产', '上海企业获脑机接口最大融资']);
    expect(store.passageCount()).toBe(3);
    expect(store.feeds.incompleteItems(1)).toEqual([{ key: 'guid:tesla', articleId: 1, pageUrl: 'https://example.com/tesla', attempts: 1 }]);
    expect(store.digests.lastCompleted('c1')).toMatchObject({ localDay: '2025-02-15', status: 'sent', messageIds: ['m1'], keywords: ['特斯拉'] });
    expect(store.articles.tombstone('text:rail')).toMatchObject({ title: '12306春运售票', reason: 'duplicate' });
    expect(store.articles.changesAfter(0).map((c) => c.kind)).toEqual(['removed', 'edited']);
    // The new table: Kysely's record of the migrations, every one of them run.
    expect(store.db.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all()).toEqual(MIGRATIONS.map((m) => m.name));
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    store.close();
  });

  it('is seen as fully migrated by Kysely’s own Migrator, which then has nothing to run', async () => {
    const dir = join(tempDir(), 'data');
    Store.open(dir).close();
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(join(dir, DATABASE_FILE)) }) });
    try {
      const migrator = new Migrator({ db, provider: kyselyMigrations('sqlite', sql) });
      expect((await migrator.getMigrations()).filter((m) => m.executedAt === undefined)).toEqual([]);
      expect(await migrator.migrateToLatest()).toEqual({ results: [] });
    } finally {
      await db.destroy();
    }
  });

  it('refuses a database a newer newsdesk migrated further, saying to update', () => {
    const dir = join(tempDir(), 'data');
    Store.open(dir).close();
    const db = new Database(join(dir, DATABASE_FILE));
    db.prepare("INSERT INTO kysely_migration (name, timestamp) VALUES ('9999-from-the-future', '2030-01-01T00:00:00.000Z')").run();
    db.close();
    expect(() => Store.open(dir)).toThrow(/newer newsdesk.*9999-from-the-future.*Update newsdesk/);
  });
});
