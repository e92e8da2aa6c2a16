import { normalize } from '../text/normalize.js';
import { queryTerms } from '../text/tokenize.js';

/** An article as a suggestion offers it. */
export interface Headline {
  articleId: number;
  title: string;
  source: string;
  /** The local day, YYYY-MM-DD (newest first among equal matches; shown in the suggestion). */
  publishedAt: string;
}

/**
 * Headlines and outlets for suggestions while a member types (/ask's autocomplete): a plain scan of every
 * article's normalised title held in memory, no index query. Tens of milliseconds at most for 110,000 articles
 * (a million passages), so it never holds up the bot; `npm run bench` measures it.
 *
 * The titles are read from the database on first use and then incrementally (articles only ever get added), so
 * it follows ingests by other processes and feeds without being told.
 */
const SEPARATOR = '\u0000';

export class HeadlineIndex {
  private readonly ids: number[] = [];
  private readonly titles: string[] = [];
  /**
   * Every normalised title, each followed by a separator, in one string: a search is a few native `indexOf` scans
   * over it (about 2.5 M characters at 110,000 titles) instead of a call per title. `starts[i]` is where title i begins.
   */
  private haystack = '';
  private readonly starts: number[] = [];
  /** Per-search scratch, one slot per title, reset after each search through `touched`. */
  private scores = new Uint16Array(0);
  private lastTerm = new Int32Array(0);
  private readonly sourceOf: string[] = [];
  private readonly published: string[] = [];
  /** normalised outlet name → the name as stored. */
  private readonly outlets = new Map<string, string>();
  private lastId = 0;

  /** `read(afterId)` yields the articles with a larger id, in id order. */
  constructor(private readonly read: (afterId: number) => Iterable<Headline>) {}

  /** Takes in the articles stored since the last call; returns how many. */
  catchUp(): number {
    let added = 0;
    for (const row of this.read(this.lastId)) {
      this.lastId = Math.max(this.lastId, row.articleId);
      const key = normalize(row.source.trim());
      if (key && !this.outlets.has(key)) this.outlets.set(key, row.source);
      const title = row.title.trim();
      if (!title) continue;
      this.ids.push(row.articleId);
      this.titles.push(title);
      this.starts.push(this.haystack.length);
      // NUL never occurs in a normalised title, so no match runs from one title into the next.
      this.haystack += `${normalize(title).replaceAll(SEPARATOR, ' ')}${SEPARATOR}`;
      this.sourceOf.push(row.source);
      this.published.push(row.publishedAt);
      added++;
    }
    return added;
  }

  get size(): number {
    return this.ids.length;
  }

  /**
   * Up to `limit` headlines matching what was typed so far, best first: a title holding the whole typed text (in
   * either script, any width or case) first, then by how many of its words (the index's tokenizer, question words
   * dropped) the title holds; newest first among equals. Nothing typed yet: the newest headlines. `source`: only
   * that outlet's articles (its name as stored).
   */
  search(typed: string, limit: number, source?: string): Headline[] {
    this.catchUp();
    this.onlySource = source;
    const phrase = normalize(typed).replace(/\s+/g, ' ').trim().replaceAll(SEPARATOR, '');
    const n = this.ids.length;
    const best: number[] = [];
    if (!phrase) {
      for (let i = 0; i < n; i++) this.consider(best, i, 0, limit);
      return this.headlinesAt(best);
    }
    const terms = queryTerms(phrase).terms;
    if (this.scores.length < n) {
      this.scores = new Uint16Array(n + 1024);
      this.lastTerm = new Int32Array(n + 1024).fill(-1);
    }
    const touched: number[] = [];
    // The whole typed text: worth more than all its words apart (term index -2 marks it).
    this.scan(phrase, -2, terms.length + 1, touched);
    // A title holding the whole phrase outscores any holding only some words: with `limit` of those, words cannot
    // change the list (the usual case while the first characters are typed).
    const phraseHits = source === undefined ? touched.length : touched.filter((i) => this.sourceOf[i] === source).length;
    if (phraseHits < limit) terms.forEach((term, t) => { if (term !== phrase) this.scan(term, t, 1, touched); });
    for (const i of touched) this.consider(best, i, this.scores[i]!, limit);
    for (const i of touched) {
      this.scores[i] = 0;
      this.lastTerm[i] = -1;
    }
    return this.headlinesAt(best);
  }

  /** Adds `points` to every title containing `needle` once; a title the whole phrase matched gets no word points. */
  private scan(needle: string, term: number, points: number, touched: number[]): void {
    if (!needle) return;
    let from = 0;
    for (;;) {
      const at = this.haystack.indexOf(needle, from);
      if (at < 0) return;
      const i = this.titleAt(at);
      if (this.lastTerm[i] !== -2 || term === -2) {
        if (this.scores[i] === 0) touched.push(i);
        if (this.lastTerm[i] !== term) this.scores[i] = this.scores[i]! + points;
        this.lastTerm[i] = term;
      }
      // One match per title is enough: go on from the next title.
      from = this.starts[i + 1] ?? this.haystack.length;
    }
  }

  /** The title whose text holds position `at` of the haystack (binary search over `starts`). */
  private titleAt(at: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Keeps `best` (title indexes) ordered by score, then publication, then id, all descending, at most `limit`
   * long; `bestScores` holds the scores of the titles in `best` until the search returns.
   */
  private consider(best: number[], i: number, score: number, limit: number): void {
    if (this.onlySource !== undefined && this.sourceOf[i] !== this.onlySource) return;
    const better = (a: number, sa: number, b: number): boolean => {
      const sb = this.bestScores.get(b) ?? 0;
      if (sa !== sb) return sa > sb;
      const pa = this.published[a]!;
      const pb = this.published[b]!;
      return pa !== pb ? pa > pb : this.ids[a]! > this.ids[b]!;
    };
    if (best.length === limit && !better(i, score, best[best.length - 1]!)) return;
    let at = best.length;
    while (at > 0 && better(i, score, best[at - 1]!)) at--;
    best.splice(at, 0, i);
    this.bestScores.set(i, score);
    if (best.length > limit) this.bestScores.delete(best.pop()!);
  }

  private readonly bestScores = new Map<number, number>();
  /** The outlet the current search keeps to, if any. */
  private onlySource: string | undefined;

  private headlinesAt(best: number[]): Headline[] {
    this.bestScores.clear();
    return best.map((i) => ({ articleId: this.ids[i]!, title: this.titles[i]!, source: this.sourceOf[i]!, publishedAt: this.published[i]! }));
  }

  /** The indexed outlets whose name holds what was typed (simplified or traditional), those starting with it first. */
  searchOutlets(typed: string, limit: number): string[] {
    this.catchUp();
    const wanted = normalize(typed).trim();
    const found: { name: string; prefix: boolean }[] = [];
    for (const [key, name] of this.outlets) {
      if (!wanted || key.includes(wanted)) found.push({ name, prefix: key.startsWith(wanted) });
    }
    found.sort((a, b) => Number(b.prefix) - Number(a.prefix) || a.name.localeCompare(b.name, 'zh'));
    return found.slice(0, limit).map((f) => f.name);
  }

  /** One article's headline, if it has one. */
  get(articleId: number): Headline | undefined {
    this.catchUp();
    // Ids were taken in increasing order: binary search.
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const id = this.ids[mid]!;
      if (id === articleId) return { articleId: id, title: this.titles[mid]!, source: this.sourceOf[mid]!, publishedAt: this.published[mid]! };
      if (id < articleId) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}
