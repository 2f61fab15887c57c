/**
 * The front end's files: the page and its ES modules from `src/ui/web/` (served as
 * written, no bundling), and uPlot from its npm package, so that the dashboard works with
 * no network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The content type of a file by its extension (octet-stream when unknown). */
export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The package's root folder (the one holding its package.json), from this module's location. */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** The folder of the front end's files. */
export const WEB_DIR = path.join(packageRoot(), 'src', 'ui', 'web');

function uplotDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('uplot'));
}

/** Sends a file with an ETag; 304 when the browser has it already. */
async function sendFile(reply: FastifyReply, file: string): Promise<void> {
  const stat = await fs.promises.stat(file);
  const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  reply.header('etag', etag).header('cache-control', 'no-cache').type(contentType(file));
  if (reply.request.headers['if-none-match'] === etag) {
    await reply.code(304).send();
    return;
  }
  await reply.send(await fs.promises.readFile(file));
}

/** `file` inside `dir`, or undefined if the relative path climbs out of it. */
function inside(dir: string, rel: string): string | undefined {
  const file = path.resolve(dir, rel);
  return file.startsWith(dir + path.sep) ? file : undefined;
}

export function registerStatic(app: FastifyInstance): void {
  const vendor = uplotDir();
  const vendorFiles: Record<string, string> = {
    'uplot.esm.js': path.join(vendor, 'uPlot.esm.js'),
    'uplot.min.css': path.join(vendor, 'uPlot.min.css'),
  };

  app.get('/', async (_request, reply) => sendFile(reply, path.join(WEB_DIR, 'index.html')));

  app.get('/assets/*', async (request, reply) => {
    const rel = (request.params as { '*': string })['*'];
    const file = inside(WEB_DIR, rel);
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return reply.code(404).send({ error: 'NotFound', message: `no asset '${rel}'` });
    }
    return sendFile(reply, file);
  });

  app.get('/vendor/:name', async (request, reply) => {
    const file = vendorFiles[(request.params as { name: string }).name];
    if (!file) return reply.code(404).send({ error: 'NotFound', message: 'no such vendor file' });
    return sendFile(reply, file);
  });
}
