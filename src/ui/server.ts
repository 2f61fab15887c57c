/**
 * The dashboard's HTTP server (`shendu ui`): the JSON API, the live feed and the front
 * end, over a read-only tracking store. Kept out of the `sd` namespace so that importing
 * Shendu does not load the HTTP server; `shendu ui` is the usual way in.
 *
 * ```ts
 * import { startUi } from './src/ui/index.js';
 * const ui = await startUi({ home: '.shendu', port: 6006 });
 * console.log(`open ${ui.url}`);
 * // ...
 * await ui.close();
 * ```
 */
import type Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { resolveHome } from '../track/env.js';
import { accessHook, checkBinding } from './auth.js';
import { errorReply, registerApi } from './api.js';
import { DashboardData } from './data.js';
import { LiveFeed } from './live.js';
import { DEFAULT_MAX_POINTS } from './series.js';
import { registerStatic } from './static.js';
import { lazyRequire } from '../lazy-require.js';

/** fastify, loaded when the first dashboard is created. */
const fastify = lazyRequire<typeof Fastify>('fastify');

export interface UiOptions {
  /** The store folder (default $SHENDU_HOME, else ./.shendu). */
  home?: string;
  /** Address to bind (default 127.0.0.1); any non-loopback address needs `token`. */
  host?: string;
  /** Port (default 6006; 0 picks a free one). */
  port?: number;
  /** When set, every request must carry it (see auth.ts). */
  token?: string;
  /** How often the live feed looks for new points (default 1000 ms). */
  pollIntervalMs?: number;
}

export interface UiServer {
  /** The address to open, with `?token=` when a token is set. */
  url: string;
  /** The address without the token. */
  origin: string;
  /** Settles when the series of the store's runs are read into memory (see DashboardData.warm). */
  warmed: Promise<void>;
  app: FastifyInstance;
  data: DashboardData;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 6006;
/** How many stored points the server reads into memory at start, at most. */
const WARM_POINTS = 20_000_000;
export const DEFAULT_HOST = '127.0.0.1';

/** Builds the server without listening (for tests with `app.inject`, or to mount elsewhere). */
export function createUiApp(options: UiOptions = {}): { app: FastifyInstance; data: DashboardData; feed: LiveFeed } {
  const host = options.host ?? DEFAULT_HOST;
  checkBinding(host, options.token);
  const data = new DashboardData(resolveHome(options.home));
  const feed = new LiveFeed(data, options.pollIntervalMs ?? 1000);
  const app = fastify()({ logger: false, forceCloseConnections: true });
  app.addHook('onRequest', accessHook(options.token));
  app.setErrorHandler((err, _request, reply) => errorReply(err, reply));
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'NotFound', message: `no page ${request.url.split('?')[0]}` }));
  registerApi(app, data, feed);
  registerStatic(app);
  app.addHook('onClose', async () => {
    feed.stop();
    data.close();
  });
  return { app, data, feed };
}

/**
 * Starts the dashboard. Opens the store first, so that a corrupted store fails here with a
 * StoreError naming the file; a store not created yet is fine (the page waits for runs).
 */
export async function startUi(options: UiOptions = {}): Promise<UiServer> {
  const { app, data } = createUiApp(options);
  try {
    data.open();
    const host = options.host ?? DEFAULT_HOST;
    await app.listen({ host, port: options.port ?? DEFAULT_PORT });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? DEFAULT_PORT);
  const host = options.host ?? DEFAULT_HOST;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${shown}:${port}`;
  let closed = false;
  const warmed = data.warm(WARM_POINTS, DEFAULT_MAX_POINTS, () => closed).catch(() => {
    // a store that cannot be read shows its error on the page's first request
  });
  return {
    url: options.token ? `${origin}/?token=${encodeURIComponent(options.token)}` : `${origin}/`,
    origin,
    app,
    data,
    warmed,
    close: async () => {
      closed = true;
      await warmed;
      await app.close();
    },
  };
}
