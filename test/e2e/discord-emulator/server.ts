import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultFailure, discordError, routeNotFound, unauthorized } from './discord-errors.js';
import type { ActiveFailure, EmulatorState } from './emulator-state.js';
import { matchRoute } from './route-table.js';
import type { RestResponse, Route } from './route-table.js';
import type { RecordedFile, RecordedRequest } from './types.js';

interface ParsedBody {
  body: unknown;
  files: RecordedFile[];
}

class BadBody extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * JSON as is; multipart as discord.js sends uploads: `payload_json` plus `files[n]` parts. Node's own Response
 * parses multipart, so no form library is needed.
 */
async function parseBody(raw: Buffer, contentType: string): Promise<ParsedBody> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    const fields: Record<string, unknown> = {};
    const files: RecordedFile[] = [];
    let payload: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') payload = parseJson(value);
        else fields[field] = value;
      } else {
        files.push({ field, filename: value.name, contentType: value.type, size: value.size });
      }
    }
    const body = typeof payload === 'object' && payload !== null ? { ...fields, ...payload } : fields;
    return { body, files };
  }
  return { body: parseJson(raw.toString('utf8')), files: [] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadBody('invalid JSON');
  }
}

function headerRecord(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** `/api/v10/webhooks/1/%40original` → `/webhooks/1/@original`; null when the path is not under `/api`. */
function apiPath(pathname: string): string | null {
  const segments = pathname.split('/').filter(Boolean).map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  if (segments[0] !== 'api') return null;
  segments.shift();
  if (segments[0] && /^v\d+$/.test(segments[0])) segments.shift();
  return `/${segments.join('/')}`;
}

/** The first active failure rule matching the request, used up by one; null when none matches. */
function takeFailure(state: EmulatorState, method: string, path: string): ActiveFailure | null {
  const index = state.failures.findIndex((rule) => {
    rule.path.lastIndex = 0; // A /g regex would otherwise match only every other time.
    return (!rule.method || rule.method.toUpperCase() === method) && rule.path.test(path);
  });
  const rule = state.failures[index];
  if (!rule) return null;
  rule.remaining -= 1;
  if (rule.remaining <= 0) state.failures.splice(index, 1);
  return rule;
}

/** No answer at all: the request is left pending (a `hang` rule). */
const HANG = Symbol('hang');
type Answer = RestResponse | typeof HANG;

function failureAnswer(rule: ActiveFailure, path: string): Answer {
  if (rule.hang) return HANG;
  const status = rule.status ?? 500;
  const retryAfter = rule.retryAfterSeconds ?? 1;
  const fallback = defaultFailure(status, path, retryAfter);
  return {
    status,
    body: rule.body === undefined ? fallback.body : rule.body,
    // A custom 429 body still needs the header: discord.js waits on Retry-After only.
    headers: status === 429 ? defaultFailure(429, path, retryAfter).headers : fallback.headers,
  };
}

type IncomingRest = Omit<RecordedRequest, 'status' | 'response' | 'at'>;

function answer(state: EmulatorState, routes: readonly Route[], request: IncomingRest, isApi: boolean): Answer {
  if (!isApi) return routeNotFound();
  const failure = takeFailure(state, request.method, request.path);
  if (failure && !failure.afterAccepting) return failureAnswer(failure, request.path);
  const match = matchRoute(routes, request.method, request.path);
  if (match.kind === 'none') return routeNotFound();
  if (match.kind === 'wrong-method') return discordError(405, 0, '405: Method Not Allowed');
  if (match.route.auth && request.headers.authorization !== `Bot ${state.token}`) return unauthorized();
  const result = match.route.handle(request, match.params);
  // Discord did the work; only the answer is lost.
  return failure ? failureAnswer(failure, request.path) : result;
}

function send(response: ServerResponse, result: RestResponse): void {
  const headers: Record<string, string> = { ...result.headers };
  if (result.status === 204 || result.body === undefined) {
    response.writeHead(result.status, headers).end();
    return;
  }
  const json = JSON.stringify(result.body);
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(json));
  response.writeHead(result.status, headers).end(json);
}

/** Handles one REST request: parse, fail on purpose, authorise, route, record, answer. */
export function createRequestHandler(
  state: EmulatorState,
  routes: readonly Route[],
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const method = (request.method ?? 'GET').toUpperCase();
      const path = apiPath(url.pathname);
      const headers = headerRecord(request);
      const raw = await readBody(request);
      let parsed: ParsedBody = { body: undefined, files: [] };
      let result: Answer | null = null;
      try {
        parsed = await parseBody(raw, headers['content-type'] ?? '');
      } catch (error) {
        result =
          error instanceof BadBody
            ? discordError(400, 50109, 'The request body contains invalid JSON.')
            : discordError(400, 0, '400: Bad Request');
      }
      const base = {
        method,
        path: path ?? url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: parsed.body,
        files: parsed.files,
        headers,
      };
      try {
        result ??= answer(state, routes, base, path !== null);
      } catch (error) {
        // A bug in the emulator: say so loudly in the answer rather than hang the bot.
        result = discordError(500, 0, '500: Internal Server Error', { emulator_error: String(error) });
      }
      const answered = result === HANG ? null : result;
      const recorded: RecordedRequest = { ...base, status: answered?.status ?? 0, response: answered?.body, at: Date.now() };
      state.requests.push(recorded);
      state.requestWaiters.notify(recorded);
      // A hanging request is answered by nothing; close() ends its connection.
      if (answered) send(response, answered);
    })().catch((error: unknown) => {
      if (response.headersSent) return;
      send(response, discordError(500, 0, '500: Internal Server Error', { emulator_error: String(error) }));
    });
  };
}
