import type { ArticleAdmin } from './article-admin.js';
import type { DigestStore } from './digest-store.js';
import type { FeedStore } from './feed-store.js';
import type { Store } from './store.js';

/**
 * The methods of `T`, each returning a Promise of what it returns today. Derived rather than written out, so the
 * store interface cannot drift from the SQLite implementation it was taken from.
 */
export type AsyncMethods<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/** What every store offers about itself, whichever database is behind it. */
export interface StoreIdentity {
  /** Which database is behind it. */
  readonly kind: 'sqlite' | 'postgres';
  /** The outlets' default zone (NEWSDESK_TIMEZONE): gives a day to articles stored with an instant only. */
  readonly zone: string;
  /** Where the data lives, for messages: a file path, or a PostgreSQL URL without its password. */
  readonly location: string;
}

/**
 * The one store interface: articles, paragraphs and passages; feeds; digest subscriptions and deliveries; the
 * owner's toolbox. Two implementations: SQLite (`data/newsdesk.db`, the default) and PostgreSQL
 * (`NEWSDESK_DATABASE_URL`). Every method is asynchronous, because a network database cannot answer in the same tick.
 */
export interface NewsStore extends StoreIdentity, AsyncMethods<Omit<Store, 'db' | 'digests' | 'feeds' | 'articles' | 'zone' | 'path'>> {
  readonly feeds: AsyncMethods<FeedStore>;
  readonly digests: AsyncMethods<DigestStore>;
  readonly articles: AsyncMethods<ArticleAdmin>;
}
