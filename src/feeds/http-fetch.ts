import { NewsdeskError, describeError } from '../errors.js';
import { checkUrl, type UrlPolicy } from './safe-url.js';

export type FetchFn = typeof fetch;

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export const DEFAULT_LIMITS: FetchLimits = { timeoutMs: 15_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 };

export interface FetchedResource {
  status: number;
  /** The URL after redirects. */
  url: string;
  notModified: boolean;
  body: Uint8Array;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
}

const USER_AGENT = 'newsdesk/0.1 (+https://github.com/; news bot)';

/** Runs one request to a host; the poll passes one that lets a host have one request at a time. */
export type HostQueue = <T>(host: string, request: () => Promise<T>) => Promise<T>;

const direct: HostQueue = (_host, request) => request();

export interface FetchOptions {
  fetch: FetchFn;
  policy: UrlPolicy;
  limits?: Partial<FetchLimits>;
  etag?: string | null;
  lastModified?: string | null;
  accept?: string;
  /** Serialises requests per host (`host` as in `URL.host`, with the port); by default requests go straight out. */
  hostQueue?: HostQueue;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/**
 * A connection the server dropped before answering: typically a keep-alive connection the server had just
 * closed when the request went out on it (undici: "other side closed"). A GET is idempotent, so it is retried once.
 */
function isConnectionReset(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'EPIPE' || /other side closed|socket hang up/i.test(cause?.message ?? '');
}

const isTimeout = (error: unknown) => (error as Error | undefined)?.name === 'TimeoutError' || (error as Error | undefined)?.name === 'AbortError';

/**
 * GET with everything a bot polling strangers' servers needs: conditional headers, a timeout for the whole
 * request (answer and body), a size cap (read as a stream, so a 100 MB answer costs 5 MB), redirects followed by
 * hand so every hop is vetted, and one retry when the server drops the connection before answering.
 * @throws NewsdeskError whose message names the host and the limit that was hit, e.g. "news.example.com did not
 *   finish sending within 15 s" (`NOT_FOUND` for network failures and error statuses, `FILE_TOO_LARGE` over the
 *   size cap, `PARSE_FAILED` for redirect problems and refused URLs).
 */
export async function fetchResource(rawUrl: string, options: FetchOptions): Promise<FetchedResource> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const queue = options.hostQueue ?? direct;
  let url = rawUrl;
  for (let hop = 0; ; hop++) {
    const vetted = await checkUrl(url, options.policy);
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: options.accept ?? '*/*' };
    if (hop === 0 && options.etag) headers['if-none-match'] = options.etag;
    if (hop === 0 && options.lastModified) headers['if-modified-since'] = options.lastModified;
    const result = await queue(vetted.host, async (): Promise<FetchedResource | { redirect: string }> => {
      const response = await send(vetted, headers, options.fetch, limits.timeoutMs);
      return readResponse(response, vetted, limits);
    });
    if ('redirect' in result) {
      if (hop >= limits.maxRedirects) throw new NewsdeskError('PARSE_FAILED', `too many redirects (more than ${limits.maxRedirects}) from ${rawUrl}`);
      url = result.redirect;
      continue;
    }
    return result;
  }
}

/** The request, retried once if the connection is reset before an answer; every failure named with its host and limit. */
async function send(url: URL, headers: Record<string, string>, fetchFn: FetchFn, timeoutMs: number): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchFn(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      if (isTimeout(error)) throw new NewsdeskError('NOT_FOUND', `${url.host} did not answer within ${seconds(timeoutMs)}`, { cause: error });
      if (isConnectionReset(error) && attempt === 1) continue;
      const why = describeError((error as Error).cause ?? error);
      throw new NewsdeskError(
        'NOT_FOUND',
        isConnectionReset(error) ? `${url.host} closed the connection before answering, twice (${why})` : `cannot reach ${url.host}: ${why}`,
        { cause: error },
      );
    }
  }
}

/** Reads an answer within the same request's time limit: a redirect's target, or the resource. */
async function readResponse(response: Response, vetted: URL, limits: FetchLimits): Promise<FetchedResource | { redirect: string }> {
  if (response.status >= 300 && response.status < 400 && response.status !== 304) {
    const location = response.headers.get('location');
    await response.body?.cancel().catch(() => undefined);
    if (!location) throw new NewsdeskError('PARSE_FAILED', `${vetted.host} answered ${response.status} without a Location`);
    return { redirect: new URL(location, vetted).toString() };
  }
  const base = {
    status: response.status,
    url: vetted.toString(),
    contentType: response.headers.get('content-type'),
    etag: response.headers.get('etag'),
    lastModified: response.headers.get('last-modified'),
  };
  if (response.status === 304) {
    await response.body?.cancel().catch(() => undefined);
    return { ...base, notModified: true, body: new Uint8Array() };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new NewsdeskError('NOT_FOUND', `${vetted.host} answered ${response.status} ${response.statusText}`.trim());
  }
  return { ...base, notModified: false, body: await readCapped(response, limits, vetted.host) };
}

async function readCapped(response: Response, limits: FetchLimits, host: string): Promise<Uint8Array> {
  try {
    return await readCappedBody(response, limits.maxBytes, host);
  } catch (error) {
    // The request's timeout signal aborts the body too; said plainly, not "The operation was aborted due to timeout".
    if (isTimeout(error)) throw new NewsdeskError('NOT_FOUND', `${host} did not finish sending within ${seconds(limits.timeoutMs)}`, { cause: error });
    if (error instanceof NewsdeskError) throw error;
    throw new NewsdeskError('NOT_FOUND', `${host} broke off while sending (${describeError((error as Error).cause ?? error)})`, { cause: error });
  }
}

async function readCappedBody(response: Response, maxBytes: number, host: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new NewsdeskError('FILE_TOO_LARGE', `${host} sent ${(declared / 1024 / 1024).toFixed(0)} MB, over the ${maxBytes / 1024 / 1024} MB limit`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new NewsdeskError('FILE_TOO_LARGE', `${host} sent more than the ${maxBytes / 1024 / 1024} MB limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The charset named by a Content-Type header, if any. */
export function headerCharset(contentType: string | null): string | undefined {
  return contentType ? /charset\s*=\s*"?([\w-]+)/i.exec(contentType)?.[1] : undefined;
}
