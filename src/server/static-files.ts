import { readFile, stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
}

/** Serves the built renderer; unknown paths get index.html (the app routes in the page). */
export async function serveStatic(root: string, pathname: string, response: ServerResponse): Promise<void> {
  const clean = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '')
  let file = join(root, clean)
  if (!file.startsWith(root + sep) && file !== root) {
    response.writeHead(400).end('Bad path')
    return
  }
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) file = join(root, 'index.html')
  const body = await readFile(file)
  response.writeHead(200, {
    'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
  })
  response.end(body)
}
