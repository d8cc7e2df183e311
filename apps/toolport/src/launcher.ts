import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ProblemDetails, PROBLEM_CONTENT_TYPE, SERVICE_NAMES, type ServiceName } from '@toolport/contracts';
import { renderMetrics } from '@toolport/observability';
import type { PlatformConfig } from '@toolport/config';
import { buildService, ReadinessRegistry, type ServiceApp, type ServiceDefinition } from '@toolport/platform';
import type { LauncherConfig } from './config';
import { renderDocsPage, mergeOpenApi } from './docs';
import { RouteTable } from './route-table';
import { SERVICES } from './services';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface RunningToolport {
  server: Server;
  url: string;
  apps: Record<ServiceName, ServiceApp>;
  close(): Promise<void>;
}

/**
 * All five services in one process, each its own Nest application (own DI container, own
 * database schema, own NATS consumers), behind one HTTP server that routes by path as an
 * ingress would. Each Fastify instance hands its request handler to us through
 * `serverFactory` and never listens itself.
 */
export async function startToolport(config: LauncherConfig): Promise<RunningToolport> {
  const handlers = new Map<ServiceName, Handler>();
  const apps = {} as Record<ServiceName, ServiceApp>;
  const table = new RouteTable<ServiceName>();
  try {
    // Sequential on purpose: the first start creates the database and shared schemas.
    for (const name of SERVICE_NAMES) {
      const definition = SERVICES[name] as ServiceDefinition<PlatformConfig>;
      apps[name] = await buildService(definition, config.services[name], {
        shutdownHooks: false,
        serverFactory: (handler) => {
          handlers.set(name, handler as Handler);
          return createServer();
        },
      });
      table.add(name, definition.routes);
    }
  } catch (error) {
    await Promise.all(Object.values(apps).map((a) => a.app.close().catch(() => undefined)));
    throw error;
  }

  const openApi = mergeOpenApi(SERVICE_NAMES.map((name) => apps[name].openApi));
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') return void readiness(apps).then((r) => sendJson(res, r.status === 'ready' ? 200 : 503, r));
    if (req.method === 'GET' && path === '/metrics') {
      return void renderMetrics().then(({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType }).end(body);
      });
    }
    if (req.method === 'GET' && path === '/docs/json') return sendJson(res, 200, openApi);
    if (req.method === 'GET' && (path === '/docs' || path === '/docs/')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(renderDocsPage('/docs/json'));
      return;
    }
    const target = table.match(req.method ?? 'GET', url);
    const handler = target ? handlers.get(target) : undefined;
    if (!handler) return sendProblem(res, { title: 'Not Found', status: 404, detail: `No route for ${req.method} ${path}`, code: 'NOT_FOUND' });
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${config.host}:${address.port}`,
    apps,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // In parallel: the services share nothing in process, and whatever one has not consumed
      // yet stays in JetStream. Each drains its own consumers, relay and connections.
      await Promise.all(SERVICE_NAMES.map((name) => apps[name].app.close()));
    },
  };
}

async function readiness(apps: Record<ServiceName, ServiceApp>) {
  const reports = await Promise.all(
    SERVICE_NAMES.map(async (name) => [name, await apps[name].app.get(ReadinessRegistry).report()] as const),
  );
  return {
    status: reports.every(([, r]) => r.status === 'ready') ? 'ready' : 'not_ready',
    services: Object.fromEntries(reports),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function sendProblem(res: ServerResponse, problem: ProblemDetails): void {
  res.writeHead(problem.status, { 'content-type': PROBLEM_CONTENT_TYPE }).end(JSON.stringify(problem));
}
