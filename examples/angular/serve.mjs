#!/usr/bin/env node
// Serves the built dashboard (dist/browser) on loopback and starts a Nucleus emulator beside it.
// The page reads the emulator's URL and the demo key from /config.json: the demo key is a public
// constant of the emulator, not a secret, and never a real Nucleus key.
//
//   node serve.mjs [--port 4200] [--fast]
//
// --fast speeds the emulator's jobs up (the e2e test uses it). Prints one line
// `dashboard: <url>` once both servers listen; stops on SIGINT / SIGTERM.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
// The root package's own build, so that the emulator is always the one of this checkout.
const { startEmulator, DEMO_API_KEY } = await import(join(here, '..', '..', 'dist', 'esm', 'emulator', 'index.js'));

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4200' },
    fast: { type: 'boolean', default: false },
    dist: { type: 'string', default: join(here, 'dist', 'browser') },
  },
});

const root = resolve(values.dist);
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

// Small steps so that the bars move visibly: 400 items make 8 steps of 400 ms (--fast: 10 of 150 ms).
const emulator = await startEmulator({
  port: 0,
  apiKeys: [DEMO_API_KEY],
  ...(values.fast ? { linesPerStep: 40, stepMs: 150, queueMs: 100 } : { linesPerStep: 50, stepMs: 400, queueMs: 300 }),
});

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (url.pathname === '/config.json') {
    const body = JSON.stringify({ endpoint: emulator.url, apiKey: DEMO_API_KEY });
    res.writeHead(200, { 'content-type': types['.json'], 'cache-control': 'no-store' }).end(body);
    return;
  }
  // Static files; anything else falls back to index.html (client-side routes).
  const file = normalize(join(root, decodeURIComponent(url.pathname)));
  const inside = file === root || file.startsWith(root + sep);
  const target = inside && (await isFile(file)) ? file : join(root, 'index.html');
  try {
    const body = await readFile(target);
    res.writeHead(200, { 'content-type': types[extname(target)] ?? 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not built yet: run `npm run build` in examples/angular\n');
  }
});

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

server.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`dashboard: http://127.0.0.1:${port}/`);
  console.log(`emulator: ${emulator.url} (demo key "${DEMO_API_KEY}")`);
});

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  server.closeAllConnections?.();
  server.close();
  await emulator.close();
  // The browser may hold keep-alive connections open: do not wait for them.
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
