/**
 * The one place a raw message from a renderer becomes a typed call: the envelope, the method
 * name and the input are validated against the contract, and every failure becomes an ApiError
 * that names the field. Both transports (Electron IPC and WebSocket) go through here.
 */
import type { z } from 'zod'
import { CallRequest, api, describeIssues, isMethodName, type CallResponse, type MethodName, type Output } from '../shared/contract'
import { ServiceError } from './errors'

export type Handlers = {
  [M in MethodName]: (input: z.output<(typeof api)[M]['input']>) => Promise<Output<M>>
}

export async function dispatch(handlers: Handlers, raw: unknown): Promise<CallResponse> {
  const envelope = CallRequest.safeParse(raw)
  const id = envelope.success ? envelope.data.id : idOf(raw)
  if (!envelope.success) {
    const { message, field } = describeIssues(envelope.error, 'message')
    return { id, ok: false, error: { code: 'invalid_message', message, field } }
  }
  const { method, input } = envelope.data
  if (!isMethodName(method)) {
    return {
      id,
      ok: false,
      error: { code: 'unknown_method', message: `message.method: unknown method "${method}"`, field: 'message.method' },
    }
  }
  const parsedInput = api[method].input.safeParse(input ?? {})
  if (!parsedInput.success) {
    const { message, field } = describeIssues(parsedInput.error, 'input')
    return { id, ok: false, error: { code: 'invalid_input', message, field } }
  }
  try {
    const handler = handlers[method] as (input: unknown) => Promise<unknown>
    const output = api[method].output.parse(await handler(parsedInput.data))
    return { id, ok: true, output }
  } catch (error) {
    if (error instanceof ServiceError) {
      return { id, ok: false, error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } }
    }
    console.error(`[dispatch] ${method} failed:`, error)
    return { id, ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } }
  }
}

function idOf(raw: unknown): number {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : -1
}
