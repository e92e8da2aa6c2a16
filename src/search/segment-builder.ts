import { sortedOrder, type FrozenSegmentData } from './frozen-segment.js';
import type { IndexedPassage } from './minisearch-options.js';

/** The index text's term separator (see `indexText`): MiniSearch's `tokenize` splits on it, and so does this. */
const TERM_SEPARATOR = ' ';
const MAX_FREQ = 0xffff;

/**
 * Builds a full segment's frozen form straight from its passages' index texts, without MiniSearch: the same
 * {@link FrozenSegmentData} that adding them to a MiniSearch one by one and then freezing it gives (same terms with
 * the same postings, document ids, field lengths and average field length, to the last digit, and the same sorted
 * term list). Inserting every token into MiniSearch's radix tree of `Map`s was the
 * build's critical path (about 14 s of a 20 s build at 50,000 passages); here a token costs one `Map` lookup and the
 * postings are laid out with a counting sort.
 *
 * Passages get short ids 0, 1, 2 … in the order given, as MiniSearch hands them out. Each passage's `text` is its
 * `indexText` (terms joined by single spaces). Ids must be distinct (MiniSearch would throw on a duplicate; so does this).
 * @throws Error when two passages share an id.
 */
export class SegmentBuilder {
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  /** Term id of every token (occurrence), in passage order. */
  private tokens = new Uint32Array(1 << 16);
  private tokenCount = 0;
  /** Per term: the last short id it was seen in (to count distinct passages) and how many passages hold it. */
  private lastDoc = new Int32Array(1 << 12).fill(-1);
  private docFreq = new Uint32Array(1 << 12);
  /** Per passage: where its tokens start in `tokens`. */
  private readonly tokenStarts: number[] = [];
  private readonly passageIds: number[] = [];
  private readonly articleIds: number[] = [];
  private readonly lengths: number[] = [];
  private readonly seenIds = new Set<number>();
  private avgFieldLength = 0;

  /** Passages added so far. */
  get count(): number {
    return this.passageIds.length;
  }

  /** Adds passages (their `text` already `indexText`), as MiniSearch's `addAll` would. */
  addAll(passages: readonly IndexedPassage[]): void {
    for (const p of passages) this.add(p);
  }

  add(passage: IndexedPassage): void {
    if (this.seenIds.has(passage.id)) throw new Error(`MiniSearch: duplicate ID ${passage.id}`);
    this.seenIds.add(passage.id);
    const doc = this.passageIds.length;
    this.passageIds.push(passage.id);
    this.articleIds.push(passage.articleId ?? -1);
    this.tokenStarts.push(this.tokenCount);
    const text = passage.text;
    let distinct = 0;
    let emptySeen = false;
    if (text.length > 0) {
      let from = 0;
      for (;;) {
        const to = text.indexOf(TERM_SEPARATOR, from);
        const term = to < 0 ? text.slice(from) : text.slice(from, to);
        if (term.length === 0) {
          // MiniSearch counts an empty token as a distinct term of the field length but indexes nothing for it.
          if (!emptySeen) distinct += 1;
          emptySeen = true;
        } else {
          let id = this.termIds.get(term);
          if (id === undefined) {
            id = this.terms.length;
            this.terms.push(term);
            this.termIds.set(term, id);
            if (id >= this.lastDoc.length) this.growTerms();
          }
          if (this.lastDoc[id] !== doc) {
            this.lastDoc[id] = doc;
            this.docFreq[id]! += 1;
            distinct += 1;
          }
          if (this.tokenCount === this.tokens.length) {
            const grown = new Uint32Array(this.tokens.length * 2);
            grown.set(this.tokens);
            this.tokens = grown;
          }
          this.tokens[this.tokenCount++] = id;
        }
        if (to < 0) break;
        from = to + 1;
      }
    }
    this.lengths.push(distinct);
    // MiniSearch's running average, computed the same way so that BM25 sees the very same number.
    this.avgFieldLength = (this.avgFieldLength * doc + distinct) / (doc + 1);
  }

  private growTerms(): void {
    const lastDoc = new Int32Array(this.lastDoc.length * 2).fill(-1);
    lastDoc.set(this.lastDoc);
    this.lastDoc = lastDoc;
    const docFreq = new Uint32Array(this.docFreq.length * 2);
    docFreq.set(this.docFreq);
    this.docFreq = docFreq;
  }

  /** The segment's frozen form. The builder must not be used afterwards. */
  finish(): FrozenSegmentData {
    const termCount = this.terms.length;
    // The term list in code-unit order, as a freeze leaves it; `place[t]`: where term id t goes in it.
    const order = sortedOrder(this.terms);
    const place = new Uint32Array(termCount);
    order.forEach((t, i) => (place[t] = i));
    const offsets = new Uint32Array(termCount + 1);
    let total = 0;
    for (let i = 0; i < termCount; i++) {
      offsets[i] = total;
      total += this.docFreq[order[i]!]!;
    }
    offsets[termCount] = total;
    const docs = new Uint32Array(total);
    const freqs = new Uint16Array(total);
    // Where each term's next posting goes; passages are visited in short-id order, so each term's postings come
    // out ascending, and a repeat of a term within a passage is always that term's latest posting.
    const next = new Uint32Array(termCount);
    for (let t = 0; t < termCount; t++) next[t] = offsets[place[t]!]!;
    const lastDoc = this.lastDoc.fill(-1);
    const tokens = this.tokens;
    const n = this.passageIds.length;
    for (let doc = 0; doc < n; doc++) {
      const end = doc + 1 < n ? this.tokenStarts[doc + 1]! : this.tokenCount;
      for (let k = this.tokenStarts[doc]!; k < end; k++) {
        const t = tokens[k]!;
        if (lastDoc[t] !== doc) {
          lastDoc[t] = doc;
          const at = next[t]!++;
          docs[at] = doc;
          freqs[at] = 1;
        } else {
          const at = next[t]! - 1;
          if (freqs[at]! < MAX_FREQ) freqs[at]! += 1;
        }
      }
    }
    return {
      terms: Array.from(order, (t) => this.terms[t]!),
      offsets,
      docs,
      freqs,
      passageIds: Float64Array.from(this.passageIds),
      articleIds: Float64Array.from(this.articleIds),
      lengths: Uint32Array.from(this.lengths),
      documentCount: n,
      avgFieldLength: n > 0 ? this.avgFieldLength : 0,
    };
  }
}
