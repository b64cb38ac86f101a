/**
 * The web front end on one machine: serves the built single-page app (web/dist, built by
 * scripts/build-web.mjs) for GET and HEAD requests outside /api/ and /_local/, with index.html for client
 * routes. In AWS the same files are static hosting's job; the API never serves them.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import type { ExtraHandler } from './gateway';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** The file under root that a URL path names, or undefined when it would leave root or names none. */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const full = resolve(root, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  if (full !== root && !full.startsWith(root + sep)) return undefined;
  return full;
}

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

export function webHandler(distDir: string): ExtraHandler {
  const root = resolve(distDir);
  const index = resolve(root, 'index.html');
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?')[0].split('#')[0];
    if (path.startsWith('/api/') || path === '/api' || path.startsWith('/_local/') || path.startsWith('/.well-known/')) return false;
    if (!existsSync(index)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The web front end is not built: run `npm run build:web`.\n');
      return true;
    }
    const file = resolveInside(root, path);
    if (file === undefined) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad path\n');
      return true;
    }
    let target = isFile(file) ? file : undefined;
    // A client route (no extension) gets the app; a missing asset is a 404, not HTML in its place.
    if (!target && extname(path) === '') target = index;
    if (!target) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end('Not found\n');
      return true;
    }
    const type = CONTENT_TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream';
    // Hashed assets never change; index.html must be revalidated to pick up a new build.
    const cache = target.startsWith(resolve(root, 'assets') + sep) ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, { 'content-type': type, 'content-length': String(statSync(target).size), 'cache-control': cache, ...SECURITY_HEADERS });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    createReadStream(target)
      .on('error', () => res.destroy())
      .pipe(res);
    return true;
  };
}
