import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NewsdeskError, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { HealthReport } from './health-report.js';

export interface HealthServer {
  /** The port it listens on (useful when asked for port 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /healthz` on 127.0.0.1 only (a supervisor on the same host asks; nothing is exposed to the network):
 * 200 with the report as JSON when it says ok, 503 with the same JSON (its `reasons` say why) when not.
 * Rejects when the port cannot be bound, with a message naming NEWSDESK_HEALTH_PORT.
 */
export async function startHealthServer(options: { port: number; report: () => HealthReport | Promise<HealthReport>; log: Logger }): Promise<HealthServer> {
  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/healthz') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /healthz is served here.\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Use GET.\n');
      return;
    }
    let report: HealthReport;
    try {
      report = await options.report();
    } catch (error) {
      report = { status: 'unhealthy', reasons: [`health check failed: ${describeError(error)}`] } as HealthReport;
    }
    const body = JSON.stringify(report);
    response.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new NewsdeskError('CONFIG_INVALID', `Cannot serve the health check on 127.0.0.1:${options.port} (${describeError(error)}): choose a free port in NEWSDESK_HEALTH_PORT, or leave it empty to turn the check off.`, { cause: error })),
    );
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  options.log.info({ port }, `health check on http://127.0.0.1:${port}/healthz`);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
