/**
 * A tiny static file server for the built page, on 127.0.0.1 and a free port, under a path
 * prefix (e.g. /some/folder/): the page must work from any folder, not only from the site root.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

export interface StaticServer {
  /** e.g. http://127.0.0.1:40123/ */
  url: string;
  close(): Promise<void>;
}

export async function serveDirectory(directory: string, prefix = '/'): Promise<StaticServer> {
  const root = resolve(directory);
  const server = createServer((req, res) => {
    const full = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (!full.startsWith(prefix)) {
      res.writeHead(404).end('not found (outside the served folder)');
      return;
    }
    const pathname = `/${full.slice(prefix.length)}`;
    const file = normalize(join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
    if (!file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
