/**
 * Token-only access, like Jupyter: the printed URL carries ?token=…; the first page load turns it
 * into an HttpOnly, SameSite=Strict cookie so scripts, assets and the WebSocket carry it too.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const COOKIE_NAME = 'ganvas_token'

export function newToken(): string {
  return randomBytes(24).toString('hex')
}

/** The token this request presents (query first, then cookie), or null. */
export function presentedToken(request: IncomingMessage): string | null {
  const url = new URL(request.url ?? '/', 'http://localhost')
  const fromQuery = url.searchParams.get('token')
  if (fromQuery) return fromQuery
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === COOKIE_NAME) return value.join('=')
  }
  return null
}

export function tokenMatches(expected: string, presented: string | null): boolean {
  if (presented === null) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(presented)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function sessionCookie(token: string): string {
  return `${COOKIE_NAME}=${token}; HttpOnly; SameSite=Strict; Path=/`
}
