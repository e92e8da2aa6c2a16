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

/**
 * GET with everything a bot polling strangers' servers needs: conditional headers, a timeout, a size cap
 * (read as a stream, so a 100 MB answer costs 5 MB), and redirects followed by hand so every hop is vetted.
 */
export async function fetchResource(
  rawUrl: string,
  options: { fetch: FetchFn; policy: UrlPolicy; limits?: Partial<FetchLimits>; etag?: string | null; lastModified?: string | null; accept?: string },
): Promise<FetchedResource> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  let url = rawUrl;
  for (let hop = 0; ; hop++) {
    const vetted = await checkUrl(url, options.policy);
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: options.accept ?? '*/*' };
    if (hop === 0 && options.etag) headers['if-none-match'] = options.etag;
    if (hop === 0 && options.lastModified) headers['if-modified-since'] = options.lastModified;
    let response: Response;
    try {
      response = await options.fetch(vetted, { headers, redirect: 'manual', signal: AbortSignal.timeout(limits.timeoutMs) });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
      throw new NewsdeskError('NOT_FOUND', timedOut ? `${vetted.host} did not answer within ${limits.timeoutMs / 1000} s` : `cannot reach ${vetted.host}: ${describeError((error as Error).cause ?? error)}`);
    }
    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      const location = response.headers.get('location');
      await response.body?.cancel();
      if (!location) throw new NewsdeskError('PARSE_FAILED', `${vetted.host} answered ${response.status} without a Location`);
      if (hop >= limits.maxRedirects) throw new NewsdeskError('PARSE_FAILED', `too many redirects (more than ${limits.maxRedirects}) from ${rawUrl}`);
      url = new URL(location, vetted).toString();
      continue;
    }
    const base = {
      status: response.status,
      url: vetted.toString(),
      contentType: response.headers.get('content-type'),
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
    };
    if (response.status === 304) {
      await response.body?.cancel();
      return { ...base, notModified: true, body: new Uint8Array() };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new NewsdeskError('NOT_FOUND', `${vetted.host} answered ${response.status} ${response.statusText}`.trim());
    }
    return { ...base, notModified: false, body: await readCapped(response, limits.maxBytes, vetted.host) };
  }
}

async function readCapped(response: Response, maxBytes: number, host: string): Promise<Uint8Array> {
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
