import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startServer, type RunningServer } from '../../src/server'
import { createHost, type Host } from '../../src/service/host'
import type { ServerFrame } from '../../src/shared/contract'
import { fakeLauncher } from '../helpers/fake-engine'
import { tempHome } from '../helpers/temp-home'

let host: Host
let server: RunningServer
let base: string
let cleanups: (() => Promise<void>)[] = []

beforeAll(async () => {
  const temp = await tempHome()
  const renderer = await mkdtemp(join(tmpdir(), 'ganvas-renderer-'))
  await mkdir(join(renderer, 'assets'))
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Ganvas</title>')
  await writeFile(join(renderer, 'assets/app.js'), 'console.log(1)')
  cleanups = [temp.cleanup, () => rm(renderer, { recursive: true, force: true })]
  host = await createHost({ home: temp.home, transport: 'serve', version: 't', launcher: fakeLauncher().launcher })
  server = await startServer({ host, rendererDir: renderer, port: 0 })
  base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => {
  await server.close()
  host.dispose()
  for (const c of cleanups) await c()
})

/** Opens a socket; resolves with it when open, or with the HTTP status that refused it. */
function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', reject)
  })
}

describe('serve mode access', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/)
  })

  it('refuses every HTTP request without the right token with 401 and nothing else', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/ws', '/?token=wrong', `/?token=${server.token}x`]) {
      const response = await fetch(base + path, { redirect: 'manual' })
      expect(response.status, path).toBe(401)
      expect(await response.text()).not.toContain('Ganvas</title>')
    }
    const forged = await fetch(base + '/', { headers: { cookie: 'ganvas_token=guess' } })
    expect(forged.status).toBe(401)
  })

  it('trades the URL token for a strict HttpOnly cookie, then serves the studio', async () => {
    const first = await fetch(server.url, { redirect: 'manual' })
    expect(first.status).toBe(303)
    expect(first.headers.get('location')).toBe('/')
    const cookie = first.headers.get('set-cookie')!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const page = await fetch(base + '/', { headers: { cookie: cookie.split(';')[0]! } })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(await page.text()).toContain('<title>Ganvas</title>')
    const asset = await fetch(base + '/assets/app.js', { headers: { cookie: cookie.split(';')[0]! } })
    expect(asset.headers.get('content-type')).toMatch(/javascript/)
  })

  it('refuses WebSocket upgrades without the token, with a wrong one, or from another origin', async () => {
    const ws = `ws://127.0.0.1:${server.port}/ws`
    expect(await connect(ws)).toBe(401)
    expect(await connect(`${ws}?token=nope`)).toBe(401)
    expect(await connect(ws, { cookie: 'ganvas_token=nope' })).toBe(401)
    expect(await connect(`${ws}?token=${server.token}`, { origin: 'http://evil.example' })).toBe(401)
  })

  it('carries the contract over an authorised WebSocket, and rejects junk frames', async () => {
    const socket = await connect(`ws://127.0.0.1:${server.port}/ws`, { cookie: `ganvas_token=${server.token}` })
    if (typeof socket === 'number') throw new Error(`refused with ${socket}`)
    const frames: ServerFrame[] = []
    socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as ServerFrame))
    const responseTo = async (id: number) => {
      for (let i = 0; i < 200 && !frames.some((f) => f.kind === 'response' && f.response.id === id); i++) {
        await new Promise((r) => setTimeout(r, 10))
      }
      return frames.find((f) => f.kind === 'response' && f.response.id === id)
    }
    socket.send('{ this is not json')
    socket.send(Buffer.from([1, 2, 3]))
    socket.send(JSON.stringify({ id: 7, method: 'engine.status', input: {} }))
    expect(await responseTo(7)).toMatchObject({ kind: 'response', response: { ok: true, output: { backend: 'wasm' } } })
    const junk = frames.filter((f) => f.kind === 'response' && f.response.id === -1)
    expect(junk).toHaveLength(2)
    for (const f of junk) expect(f).toMatchObject({ response: { ok: false, error: { code: 'invalid_message', field: 'message' } } })
    socket.close()
  })
})
