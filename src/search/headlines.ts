import { normalize } from '../text/normalize.js';
import { queryTerms } from '../text/tokenize.js';

/** An article as a suggestion offers it. */
export interface Headline {
  articleId: number;
  title: string;
  source: string;
  /** ISO date-time as stored. */
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
export class HeadlineIndex {
  private readonly ids: number[] = [];
  private readonly titles: string[] = [];
  private readonly keys: string[] = [];
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
      this.keys.push(normalize(title));
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
   * dropped) the title holds; newest first among equals. Nothing typed yet: the newest headlines.
   */
  search(typed: string, limit: number): Headline[] {
    this.catchUp();
    const phrase = normalize(typed).replace(/\s+/g, ' ').trim();
    const terms = phrase ? queryTerms(phrase).terms : [];
    const best: { i: number; score: number }[] = [];
    // Keeps `best` sorted (score, then date, then id, all descending) and at most `limit` long.
    const better = (a: { i: number; score: number }, b: { i: number; score: number }) =>
      a.score !== b.score ? a.score > b.score : this.published[a.i] !== this.published[b.i] ? this.published[a.i]! > this.published[b.i]! : this.ids[a.i]! > this.ids[b.i]!;
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i]!;
      let score = 0;
      if (phrase) {
        if (key.includes(phrase)) score += terms.length + 1;
        else for (const term of terms) if (key.includes(term)) score++;
        if (score === 0) continue;
      }
      const hit = { i, score };
      if (best.length === limit && !better(hit, best[best.length - 1]!)) continue;
      let at = best.length;
      while (at > 0 && better(hit, best[at - 1]!)) at--;
      best.splice(at, 0, hit);
      if (best.length > limit) best.pop();
    }
    return best.map(({ i }) => ({ articleId: this.ids[i]!, title: this.titles[i]!, source: this.sourceOf[i]!, publishedAt: this.published[i]! }));
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
