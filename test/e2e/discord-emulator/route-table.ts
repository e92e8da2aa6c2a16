import type { RecordedFile } from './types.js';

/** A REST request after prefix stripping, decoding and body parsing. */
export interface RestRequest {
  method: string;
  /** Decoded, without `/api` or `/api/v10`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  files: RecordedFile[];
  headers: Record<string, string>;
}

export interface RestResponse {
  status: number;
  /** Sent as JSON; omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  /** Segments with `:name` placeholders, e.g. `/channels/:channelId/messages`. */
  pattern: string;
  /** Webhook and interaction-callback routes are authorised by the token in the path, not the header. */
  auth: boolean;
  handle(request: RestRequest, params: Record<string, string>): RestResponse;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method' }
  | { kind: 'none' };

function matchPattern(pattern: string, segments: string[]): Record<string, string> | null {
  const parts = pattern.split('/').filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}

/** Literal segments win over placeholders (`/users/@me` before `/users/:id`) because routes are tried in order. */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const segments = path.split('/').filter(Boolean);
  let pathExists = false;
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    if (route.method === method) return { kind: 'found', route, params };
    pathExists = true;
  }
  return pathExists ? { kind: 'wrong-method' } : { kind: 'none' };
}
