import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/service/dispatch'
import { createHost, type Host } from '../../src/service/host'
import { fakeLauncher } from '../helpers/fake-engine'
import { malformedMessages } from '../helpers/malformed'
import { tempHome } from '../helpers/temp-home'

let host: Host
let cleanup: () => Promise<void>

beforeAll(async () => {
  const temp = await tempHome()
  cleanup = temp.cleanup
  host = await createHost({ home: temp.home, transport: 'serve', version: '0.0.0-test', launcher: fakeLauncher().launcher })
  await host.engine.whenReady()
})
afterAll(async () => {
  host.dispose()
  await cleanup()
})

describe('dispatch', () => {
  it('answers a valid call with the typed output', async () => {
    const response = await dispatch(host.handlers, { id: 1, method: 'engine.status', input: {} })
    expect(response).toMatchObject({ id: 1, ok: true, output: { state: 'ready', backend: 'wasm' } })
  })

  it('treats a missing input as empty for methods that take none', async () => {
    const response = await dispatch(host.handlers, { id: 2, method: 'settings.get' })
    expect(response).toMatchObject({ ok: true, output: { backend: 'auto' } })
  })

  it('names the field that fails validation', async () => {
    const response = await dispatch(host.handlers, { id: 3, method: 'engine.check', input: { steps: 'ten', size: 32 } })
    expect(response).toMatchObject({ id: 3, ok: false, error: { code: 'invalid_input', field: 'input.steps' } })
    if (!response.ok) expect(response.error.message).toMatch(/^input\.steps: /)
  })

  it('rejects unknown methods, including prototype names', async () => {
    for (const method of ['no.such', '__proto__', 'constructor', 'hasOwnProperty']) {
      const response = await dispatch(host.handlers, { id: 4, method, input: {} })
      expect(response).toMatchObject({ ok: false, error: { code: 'unknown_method', field: 'message.method' } })
    }
  })

  it('rejects a malformed envelope and echoes a usable id', async () => {
    expect(await dispatch(host.handlers, { id: 5, input: {} })).toMatchObject({
      id: 5,
      ok: false,
      error: { code: 'invalid_message', field: 'message.method' },
    })
    expect(await dispatch(host.handlers, 'hello')).toMatchObject({ id: -1, ok: false, error: { code: 'invalid_message' } })
  })

  it('survives a few hundred malformed messages and keeps serving', async () => {
    const messages = malformedMessages(400)
    for (const message of messages) {
      const response = await dispatch(host.handlers, message)
      expect(response.ok, JSON.stringify(message).slice(0, 200)).toBe(false)
      if (!response.ok) {
        expect(response.error.field ?? `no field: ${response.error.message}`, JSON.stringify(message).slice(0, 200)).toMatch(/^(message|input)/)
        expect(response.error.message.length).toBeGreaterThan(5)
      }
    }
    const status = await dispatch(host.handlers, { id: 99, method: 'engine.status', input: {} })
    expect(status).toMatchObject({ ok: true, output: { state: 'ready' } })
  })
})
