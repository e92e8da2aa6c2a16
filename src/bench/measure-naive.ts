import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Store } from '../store/store.js';
import { queryTerms } from '../text/tokenize.js';
import { NAIVE_INDEX_FILE } from './index-files.js';
import { MemoryPeak, memory, perSecond, runTimed, summarizeLatencies, timed, type MemorySnapshot } from './measure.js';
import type { PhaseContext } from './measure-newsdesk.js';
import { createNaiveIndex, loadNaive, saveNaive, searchNaive, type NaiveDocument } from './naive-index.js';
import type { SetupFigures } from './report.js';

/**
 * The naive setup on the very same passages (read back from the store the newsdesk run filled) and the same
 * question terms: one addAll of the bulk corpus, one of the day, JSON.stringify to a file, MiniSearch.loadJSON.
 */
export function measureNaive(ctx: PhaseContext, dayParagraphs: number): SetupFigures {
  const { bulk, gc, progress } = ctx;
  const { corpus, questions } = bulk;
  const store = Store.open(ctx.dataDir);
  try {
    const beforeBuild = memory(gc);
    progress('naive: one MiniSearch, addAll of the bulk corpus');
    let docs: NaiveDocument[] = [];
    for (const p of store.iteratePassages()) {
      if (p.id > bulk.lastBulkPassageId) break;
      docs.push({ id: p.id, text: p.text });
    }
    let mini: ReturnType<typeof createNaiveIndex> | undefined = createNaiveIndex();
    const build = timed(() => mini!.addAll(docs));
    docs = [];
    const afterBuild = memory(gc);

    progress('naive: addAll of the same day');
    let dayDocs: NaiveDocument[] = [];
    for (const p of store.iteratePassages(bulk.lastBulkPassageId)) dayDocs.push({ id: p.id, text: p.text });
    const dayPassages = dayDocs.length;
    const dayAdd = timed(() => mini!.addAll(dayDocs));
    dayDocs = [];

    progress(`naive: ${questions.length} questions through search`);
    const termsOf = new Map(questions.map((q) => [q, queryTerms(q.question).terms]));
    const peak = new MemoryPeak();
    const searched = runTimed(
      questions,
      (q) => {
        const ids = searchNaive(mini!, termsOf.get(q) ?? []);
        return { correct: ids.slice(0, 3).includes(q.passageId), hits: ids.length };
      },
      peak,
    );

    progress('naive: JSON.stringify save, then MiniSearch.loadJSON and a first answer');
    const path = join(ctx.dataDir, NAIVE_INDEX_FILE);
    const saved = saveNaive(mini, path);
    mini = undefined;
    memory(gc);
    let load: SetupFigures['load'] = { ms: null };
    let coldStart: SetupFigures['coldStart'] = { toFirstAnswerMs: null, firstAnswerMs: null };
    let afterLoad: MemorySnapshot | undefined;
    if (saved.ok) {
      const loaded = loadNaive(path);
      const firstStart = performance.now();
      searchNaive(loaded.mini, (questions[0] && termsOf.get(questions[0])) ?? ['特斯拉']);
      const firstAnswerMs = performance.now() - firstStart;
      load = { ms: loaded.readMs + loaded.loadJsonMs, breakdown: { 'read file': loaded.readMs, 'MiniSearch.loadJSON': loaded.loadJsonMs } };
      coldStart = { toFirstAnswerMs: loaded.readMs + loaded.loadJsonMs + firstAnswerMs, firstAnswerMs };
      afterLoad = memory(gc);
    }
    const n = Math.max(1, questions.length);
    return {
      build: { ms: build.ms, passagesPerSec: perSecond(corpus.passages, build.ms), vsTokenize: build.ms / ctx.segmentation.tokenizeMs },
      day: { paragraphs: dayParagraphs, passages: dayPassages, addMs: dayAdd.ms, paragraphsPerSec: perSecond(dayParagraphs, dayAdd.ms) },
      save: saved.ok
        ? { ms: saved.stringifyMs + saved.writeMs, bytes: saved.bytes, breakdown: { 'JSON.stringify': saved.stringifyMs, 'write file': saved.writeMs } }
        : { ms: null, error: saved.error, bytes: null },
      load,
      coldStart,
      queries: { search: summarizeLatencies(searched.latencies), meanHits: searched.hits / n },
      recallAt3: { search: searched.correct / n },
      memory: { beforeBuild, afterBuild, ...(afterLoad ? { afterLoad } : {}), whileAnswering: peak.peak },
    };
  } finally {
    store.close();
  }
}
