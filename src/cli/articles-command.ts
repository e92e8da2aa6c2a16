import { Option, type Command } from 'commander';
import type { Newsdesk } from '../newsdesk.js';
import type { ArticleEdit } from '../store/article-admin.js';
import type { ArticleRecord } from '../store/store.js';
import { sampleArticleIds } from '../samples.js';
import { withDesk, type CliContext } from './cli-context.js';
import { EXIT } from './exit-codes.js';
import { dayOption, nonEmpty, urlOrNone, wholeNumber } from './options.js';
import { CommanderError } from 'commander';

/** One line per article: `#12  2025-02-14  三里河  title  url`. */
export function articleLine(a: ArticleRecord): string {
  return [`#${a.id}`, a.publishedDay, a.source, a.title ?? '(no title)', a.url ?? ''].filter(Boolean).join('  ');
}

const usage = (message: string) => new CommanderError(EXIT.usage, 'newsdesk.usage', `error: ${message}`);

/**
 * Resolves each reference (id, address, title words) to articles. A reference matching several articles is
 * refused unless `all` is set, so a vague word never removes more than was meant.
 */
async function resolve(desk: Newsdesk, refs: readonly string[], all: boolean, ctx: CliContext): Promise<{ found: ArticleRecord[]; missing: string[]; ambiguous: boolean }> {
  const found = new Map<number, ArticleRecord>();
  const missing: string[] = [];
  let ambiguous = false;
  for (const ref of refs) {
    const matches = await desk.findArticles(ref, 200);
    if (matches.length === 0) missing.push(ref);
    else if (matches.length > 1 && !all) {
      ambiguous = true;
      ctx.err(`"${ref}" matches ${matches.length} articles; give an id, or add --all to take all of them:`);
      for (const a of matches.slice(0, 20)) ctx.err(`  ${articleLine(a)}`);
    } else for (const a of matches) found.set(a.id, a);
  }
  return { found: [...found.values()], missing, ambiguous };
}

/** `newsdesk articles list|show|remove|edit`: the owner's view of what is stored, and corrections. */
export function addArticlesCommand(program: Command, ctx: CliContext): void {
  const articles = program.command('articles').description('list, show, remove or correct stored articles (by id, URL or title words)');

  articles
    .command('list')
    .description('list stored articles, newest first (exit 1 when none match)')
    .option('--source <outlet>', 'only this outlet')
    .addOption(new Option('--since <date>', 'published on or after this day (YYYY-MM-DD)').argParser(dayOption))
    .addOption(new Option('--until <date>', 'published on or before this day (YYYY-MM-DD)').argParser(dayOption))
    .option('--search <words>', 'only articles about these words (title first, then the full text)')
    .addOption(new Option('--limit <n>', 'at most this many').argParser(wholeNumber(1, 1000)).default(20))
    .addOption(new Option('--offset <n>', 'skip the first n (paging)').argParser(wholeNumber(0, 1_000_000)).default(0))
    .option('--json', 'print JSON: {"total", "articles": [...]}')
    .action((opts: { source?: string; since?: string; until?: string; search?: string; limit: number; offset: number; json?: boolean }) =>
      withDesk(ctx, async (desk) => {
        if (opts.since && opts.until && opts.since > opts.until) throw usage(`--since ${opts.since} is after --until ${opts.until}.`);
        const source = opts.source === undefined ? undefined : ((await desk.store.findSource(opts.source)) ?? opts.source);
        const ids = opts.search ? await desk.searchArticleIds(opts.search, 500) : undefined;
        const { articles: page, total } = await desk.store.articles.list({
          limit: opts.limit,
          offset: opts.offset,
          ...(source !== undefined ? { source } : {}),
          ...(opts.since ? { since: opts.since } : {}),
          ...(opts.until ? { until: opts.until } : {}),
          ...(ids ? { ids } : {}),
        });
        if (opts.json) ctx.out(JSON.stringify({ total, articles: page }, null, 2));
        else if (page.length === 0) ctx.out(total > 0 ? `No articles on this page (${total} match; lower --offset).` : 'No articles match.');
        else {
          for (const a of page) ctx.out(articleLine(a));
          ctx.out(`(${opts.offset + 1}–${opts.offset + page.length} of ${total})`);
        }
        if (page.length === 0) ctx.exit(EXIT.nothing);
      }),
    );

  articles
    .command('show')
    .description('show one article: fields, where it came from, its paragraphs')
    .argument('<article>', 'id, URL or title words')
    .option('--json', 'print it as JSON')
    .action((ref: string, opts: { json?: boolean }) =>
      withDesk(ctx, async (desk) => {
        const { found, missing, ambiguous } = await resolve(desk, [ref], false, ctx);
        if (missing.length > 0) ctx.err(`No article matches "${ref}". \`newsdesk articles list --search <words>\` finds one.`);
        const detail = found.length === 1 ? await desk.store.articles.get(found[0]!.id) : undefined;
        if (!detail || ambiguous) return ctx.exit(EXIT.nothing);
        if (opts.json) return ctx.out(JSON.stringify(detail, null, 2));
        ctx.out(
          [
            `#${detail.id} ${detail.title ?? '(no title)'}`,
            `outlet:    ${detail.source}`,
            `published: ${detail.publishedDay} (${detail.publishedAt})`,
            `url:       ${detail.url ?? '-'}`,
            `reporter:  ${detail.reporter ?? '-'}`,
            `ingested:  ${detail.ingestedAt}${detail.origin ? ` from ${detail.origin}` : ''}${detail.feed ? ` (feed #${detail.feed.id})` : ''}`,
            `text:      ${detail.paragraphs.length} paragraphs, ${detail.passages} passages`,
            '',
            ...detail.paragraphs,
          ].join('\n'),
        );
      }),
    );

  articles
    .command('remove')
    .description('remove articles from the store and the index; they are not stored again by ingest or feeds')
    .argument('<articles...>', 'ids, URLs or title words')
    .option('--all', 'when title words match several articles, remove all of them')
    .option('--reason <text>', 'why (kept with the record of what was removed)')
    .option('--dry-run', 'only say what would be removed')
    .option('--json', 'print JSON: {"removed": [...], "passages", "missing": [...]}')
    .action((refs: string[], opts: { all?: boolean; reason?: string; dryRun?: boolean; json?: boolean }) =>
      withDesk(ctx, async (desk) => {
        const { found, missing, ambiguous } = await resolve(desk, refs, opts.all === true, ctx);
        for (const ref of missing) ctx.err(`No article matches "${ref}".`);
        if (ambiguous) return ctx.exit(EXIT.nothing);
        if (opts.dryRun) {
          for (const a of found) ctx.out(`Would remove ${articleLine(a)}`);
        } else {
          const result = await desk.removeArticles(
            found.map((a) => a.id),
            { by: 'command line', ...(opts.reason ? { reason: opts.reason } : {}) },
          );
          if (opts.json) ctx.out(JSON.stringify({ ...result, missing }, null, 2));
          else {
            for (const a of result.removed) ctx.out(`Removed ${articleLine(a)}`);
            if (result.removed.length > 0) ctx.out(`${result.removed.length} article${result.removed.length === 1 ? '' : 's'} and ${result.passages} passages removed; ingest and feeds will not bring them back.`);
          }
        }
        if (found.length === 0 || missing.length > 0) ctx.exit(EXIT.nothing);
      }),
    );

  articles
    .command('edit')
    .description('correct an article\'s title, outlet, date or URL')
    .argument('<article>', 'id, URL or title words (must match one article)')
    .addOption(new Option('--title <text>', 'the corrected title').argParser(nonEmpty('a title')))
    .addOption(new Option('--source <outlet>', 'the corrected outlet').argParser(nonEmpty('an outlet name')))
    .addOption(new Option('--date <date>', 'the corrected publication day (YYYY-MM-DD)').argParser(dayOption))
    .addOption(new Option('--url <url>', 'the corrected address ("none" clears it)').argParser(urlOrNone))
    .option('--json', 'print JSON: {"before", "after"}')
    .action((ref: string, opts: { title?: string; source?: string; date?: string; url?: string | null; json?: boolean }) =>
      withDesk(ctx, async (desk) => {
        const changes: ArticleEdit = {
          ...(opts.title !== undefined ? { title: opts.title } : {}),
          ...(opts.source !== undefined ? { source: opts.source } : {}),
          ...(opts.date !== undefined ? { publishedAt: opts.date } : {}),
          ...(opts.url !== undefined ? { url: opts.url } : {}),
        };
        if (Object.keys(changes).length === 0) throw usage('nothing to change: give --title, --source, --date or --url.');
        const { found, missing, ambiguous } = await resolve(desk, [ref], false, ctx);
        if (missing.length > 0) ctx.err(`No article matches "${ref}".`);
        if (found.length !== 1 || ambiguous) return ctx.exit(EXIT.nothing);
        const result = (await desk.editArticle(found[0]!.id, changes))!;
        if (opts.json) return ctx.out(JSON.stringify(result, null, 2));
        ctx.out(`Was: ${articleLine(result.before)}\nNow: ${articleLine(result.after)}`);
      }),
    );
  addRemovedCommands(articles, ctx);
}

/** `newsdesk articles removed` and `articles unremove`: the record of removals, and undoing one. */
function addRemovedCommands(articles: Command, ctx: CliContext): void {
  articles
    .command('removed')
    .description('what was removed (newest first), kept so ingest and feeds do not bring it back')
    .addOption(new Option('--limit <n>', 'at most this many').argParser(wholeNumber(1, 10_000)).default(50))
    .option('--json', 'print JSON')
    .action((opts: { limit: number; json?: boolean }) =>
      withDesk(ctx, async (desk) => {
        const list = await desk.store.articles.tombstones(opts.limit);
        if (opts.json) ctx.out(JSON.stringify(list, null, 2));
        else if (list.length === 0) ctx.out('Nothing was removed.');
        else for (const t of list) ctx.out(`#${t.articleId}  ${t.publishedDay}  ${t.source}  ${t.title ?? '(no title)'}  removed ${t.removedAt.slice(0, 10)}${t.reason ? ` (${t.reason})` : ''}`);
        if (list.length === 0) ctx.exit(EXIT.nothing);
      }),
    );
  articles
    .command('unremove')
    .description('let a removed article be stored again by the next ingest or feed poll (it is not restored by itself)')
    .argument('<id>', 'the id it had, as `articles removed` shows it', wholeNumber(1, Number.MAX_SAFE_INTEGER))
    .action((id: number) =>
      withDesk(ctx, async (desk) => {
        const t = await desk.store.articles.forgetRemoval(id);
        if (!t) {
          ctx.err(`No removed article #${id}. \`newsdesk articles removed\` lists them.`);
          return ctx.exit(EXIT.nothing);
        }
        ctx.out(`#${id} ${t.title ?? '(no title)'} may be stored again: ingest its file again${t.url ? ` (${t.url})` : ''}, or its feed brings it at the next poll if the item is still new to it.`);
      }),
    );
}

/** `newsdesk sources remove <outlet>` (and `--samples`): every article of an outlet, from store and index. */
export function addSourcesRemove(sources: Command, ctx: CliContext): void {
  sources
    .command('remove')
    .description('remove every article of an outlet (or the bundled samples) from the store and the index')
    .argument('[outlet]', 'the outlet, as `newsdesk sources` names it')
    .option('--samples', 'remove the bundled sample news instead (an earlier newsdesk put it into new data directories)')
    .option('--dry-run', 'only say how many articles would be removed')
    .option('--json', 'print JSON: {"source", "removed", "passages"}')
    .action((outlet: string | undefined, opts: { samples?: boolean; dryRun?: boolean; json?: boolean }) =>
      withDesk(ctx, async (desk) => {
        if (!outlet && !opts.samples) throw usage("missing argument 'outlet' (or --samples).");
        if (outlet && opts.samples) throw usage('give an outlet or --samples, not both.');
        let ids: number[];
        let label: string;
        if (opts.samples) {
          ids = await sampleArticleIds(desk.store, desk.now());
          label = 'the bundled samples';
        } else {
          const source = await desk.store.findSource(outlet!);
          if (!source) {
            ctx.err(`No outlet called "${outlet}". Outlets: ${(await desk.store.sourceNames()).join(', ') || 'none yet'}.`);
            return ctx.exit(EXIT.nothing);
          }
          ids = await desk.store.articles.idsOfSource(source);
          label = source;
        }
        if (ids.length === 0) {
          ctx.err(`Nothing to remove: no articles of ${label}.`);
          return ctx.exit(EXIT.nothing);
        }
        if (opts.dryRun) return ctx.out(`Would remove ${ids.length} articles of ${label}.`);
        const result = await desk.removeArticles(ids, { by: 'command line', reason: `sources remove ${opts.samples ? '--samples' : label}` });
        if (opts.json) return ctx.out(JSON.stringify({ source: label, removed: result.removed.length, passages: result.passages }, null, 2));
        ctx.out(`Removed ${result.removed.length} articles of ${label} (${result.passages} passages); ingest and feeds will not bring them back.`);
      }),
    );
}
