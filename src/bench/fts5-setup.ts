/**
 * The setup a developer might pick instead of newsdesk, run as its own process by `npm run bench -- --processes`:
 * SQLite FTS5 (bm25) over the same jieba tokens (newsdesk's `tokenize`, joined by spaces), articles and
 * paragraphs stored beside it in the same database. No cleaning, no reranking: the comparison is the store and
 * the index, which is what start-up, build and memory are made of.
 *
 *   fts5-setup build|add <input dir of .jsonl> <database file>
 *   fts5-setup ask <database file> <question>
 *   fts5-setup latency <database file> <questions .json (a string array)>   → JSON latency summary on stdout
 */
import { performance } from 'node:perf_hooks';
performance.mark('bench:main');
const { default: Database } = await import('better-sqlite3');
const { readFileSync, readdirSync } = await import('node:fs');
const { join } = await import('node:path');
const { queryTerms, tokenize } = await import('../text/tokenize.js');
const { summarizeLatencies } = await import('./measure.js');

type Db = InstanceType<typeof Database>;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS articles (id INTEGER PRIMARY KEY, title TEXT, source TEXT NOT NULL, published_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS paragraphs (id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL, text TEXT NOT NULL);
  CREATE VIRTUAL TABLE IF NOT EXISTS paragraph_terms USING fts5(terms, content='');
`;

function open(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  return db;
}

/** Stores and indexes every article of the .jsonl files, one transaction per file, as newsdesk's ingest does. */
function ingest(inputDir: string, dbPath: string): void {
  const db = open(dbPath);
  const addArticle = db.prepare('INSERT INTO articles (title, source, published_at) VALUES (?, ?, ?)');
  const addParagraph = db.prepare('INSERT INTO paragraphs (article_id, text) VALUES (?, ?)');
  const addTerms = db.prepare('INSERT INTO paragraph_terms (rowid, terms) VALUES (?, ?)');
  const figures = { readMs: 0, tokenizeMs: 0, articles: 0, paragraphs: 0 };
  const store = db.transaction((records: { title?: string; source?: string; publishedAt?: string; paragraphs: string[]; terms: string[] }[]) => {
    for (const r of records) {
      const articleId = addArticle.run(r.title ?? null, r.source ?? '未知', r.publishedAt ?? '').lastInsertRowid;
      r.paragraphs.forEach((text, i) => {
        const id = addParagraph.run(articleId, text).lastInsertRowid;
        addTerms.run(id, r.terms[i]);
      });
    }
  });
  for (const file of readdirSync(inputDir).filter((f) => f.endsWith('.jsonl')).sort()) {
    let start = performance.now();
    const records = readFileSync(join(inputDir, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const r = JSON.parse(line) as { title?: string; source?: string; publishedAt?: string; text: string };
        return { ...r, paragraphs: r.text.split(/\n+/).filter((p) => p.trim() !== ''), terms: [] as string[] };
      });
    figures.readMs += performance.now() - start;
    start = performance.now();
    for (const r of records) r.terms = r.paragraphs.map((p) => tokenize(p).join(' '));
    figures.tokenizeMs += performance.now() - start;
    store(records);
    figures.articles += records.length;
    figures.paragraphs += records.reduce((n, r) => n + r.paragraphs.length, 0);
  }
  db.close();
  performance.mark('bench:ingested', { detail: figures });
}

/** The best `limit` paragraphs by bm25 for the question's terms (any of them), with their article. */
function search(db: Db, question: string, limit = 3): { text: string; source: string; score: number }[] {
  const terms = queryTerms(question).terms;
  if (terms.length === 0) return [];
  const match = terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
  return db
    .prepare(
      `SELECT p.text, a.source, t.score FROM
         (SELECT rowid, bm25(paragraph_terms) AS score FROM paragraph_terms WHERE paragraph_terms MATCH ? ORDER BY score LIMIT ?) t
       JOIN paragraphs p ON p.id = t.rowid JOIN articles a ON a.id = p.article_id ORDER BY t.score`,
    )
    .all(match, limit) as { text: string; source: string; score: number }[];
}

const [command, a, b] = process.argv.slice(2);
if ((command === 'build' || command === 'add') && a && b) {
  ingest(a, b);
} else if (command === 'ask' && a && b) {
  const db = open(a);
  performance.mark('bench:opened');
  for (const hit of search(db, b)) process.stdout.write(`${hit.text.slice(0, 60)} · ${hit.source}\n`);
  db.close();
} else if (command === 'latency' && a && b) {
  const db = open(a);
  const questions = JSON.parse(readFileSync(b, 'utf8')) as string[];
  for (const q of questions.slice(0, 20)) search(db, q);
  const latencies = questions.map((q) => {
    const start = performance.now();
    search(db, q);
    return performance.now() - start;
  });
  db.close();
  process.stdout.write(`${JSON.stringify(summarizeLatencies(latencies))}\n`);
} else {
  process.stderr.write('usage: fts5-setup build|add <input dir> <db> | ask <db> <question> | latency <db> <questions.json>\n');
  process.exitCode = 2;
}
