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
];
