import { InvalidArgumentError } from 'commander'
import { BackendPreference } from '../shared/schemas'

export function parseBackend(value: string): BackendPreference {
  const parsed = BackendPreference.safeParse(value)
  if (!parsed.success) throw new InvalidArgumentError(`use one of ${BackendPreference.options.join(', ')}`)
  return parsed.data
}

export function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('use a port number from 0 to 65535')
  return port
}

/** GANVAS_BACKEND, validated, for commands that take --backend. */
export function backendFromEnv(): BackendPreference | undefined {
  const raw = process.env.GANVAS_BACKEND
  if (!raw) return undefined
  const parsed = BackendPreference.safeParse(raw)
  if (!parsed.success) {
    throw new InvalidArgumentError(`GANVAS_BACKEND="${raw}" is not a backend; use one of ${BackendPreference.options.join(', ')}`)
  }
  return parsed.data
}
