import type { AsyncMethods, NewsStore } from './news-store.js';
import { Store } from './store.js';

/**
 * Every method of `target` (its class's and its ancestors', not Object's), each returning a Promise of what the
 * synchronous one returns. A synchronous throw becomes a rejected promise, so a caller's `await` (or `.catch`) sees
 * every failure the same way whichever database is behind the store.
 */
function asyncMethodsOf<T extends object>(target: T): AsyncMethods<T> {
  const wrapped: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (let proto = Object.getPrototypeOf(target) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method = (target as Record<string, unknown>)[name];
      if (name === 'constructor' || name in wrapped || typeof method !== 'function') continue;
      wrapped[name] = (...args: unknown[]) => {
        try {
          return Promise.resolve(method.apply(target, args));
        } catch (error) {
          return Promise.reject(error);
        }
      };
    }
  }
  return wrapped as AsyncMethods<T>;
}

/** The sync SQLite store behind each SQLite NewsStore (see {@link sqliteStoreOf}). */
const sqliteStores = new WeakMap<NewsStore, Store>();

/**
 * The SQLite implementation of the store interface: an adapter over the synchronous better-sqlite3 {@link Store}
 * (`data/newsdesk.db`). `location` is the database file's path.
 */
export function sqliteNewsStore(store: Store): NewsStore {
  const news: NewsStore = {
    ...asyncMethodsOf(store),
    kind: 'sqlite',
    zone: store.zone,
    location: store.path,
    feeds: asyncMethodsOf(store.feeds),
    digests: asyncMethodsOf(store.digests),
    articles: asyncMethodsOf(store.articles),
  };
  sqliteStores.set(news, store);
  return news;
}

/** Opens (creating and migrating) the SQLite database in `dataDir` (see Store.open, whose errors it rejects with). */
export async function openSqliteStore(dataDir: string, options: { zone?: string } = {}): Promise<NewsStore> {
  return sqliteNewsStore(Store.open(dataDir, options));
}

/**
 * The SQLite store behind `store`, for what only SQLite has (backup and restore of the file, `PRAGMA quick_check`,
 * WAL checkpoints); undefined for any other database. The one place that reaches behind the interface.
 */
export function sqliteStoreOf(store: NewsStore): Store | undefined {
  return sqliteStores.get(store);
}
