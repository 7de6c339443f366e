/**
 * The renderer's typed client over any GanvasBridge (Electron's preload or the WebSocket).
 * The renderer is the receiving side of responses and events, so it validates both against the
 * contract: a host that sends the wrong shape fails loudly here, not deep inside a component.
 */
import {
  api,
  CallResponse,
  describeIssues,
  GanvasEvent,
  type ErrorCode,
  type GanvasBridge,
  type Input,
  type MethodName,
  type Output,
} from '../../../shared/contract'

/** The host's error codes plus the two failures only the client can see. */
export type ClientErrorCode = ErrorCode | 'bad_response' | 'disconnected'

export class GanvasCallError extends Error {
  override readonly name = 'GanvasCallError'

  constructor(
    readonly method: MethodName,
    readonly code: ClientErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
}

export class GanvasClient {
  constructor(private readonly bridge: GanvasBridge) {}

  async call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> {
    const spec = api[method]
    // Checked here too so a bad input names its field without a round trip.
    const parsedInput = spec.input.safeParse(input)
    if (!parsedInput.success) {
      const { message, field } = describeIssues(parsedInput.error, 'input')
      throw new GanvasCallError(method, 'invalid_input', message, field)
    }

    let raw: unknown
    try {
      raw = await this.bridge.call(method, parsedInput.data)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new GanvasCallError(method, 'disconnected', reason)
    }

    const response = CallResponse.safeParse(raw)
    if (!response.success) {
      const { message } = describeIssues(response.error, 'response')
      throw new GanvasCallError(method, 'bad_response', `The engine host sent a malformed reply to ${method}: ${message}`)
    }
    if (!response.data.ok) {
      const { code, message, field } = response.data.error
      throw new GanvasCallError(method, code, message, field)
    }
    const output = spec.output.safeParse(response.data.output)
    if (!output.success) {
      const { message, field } = describeIssues(output.error, 'output')
      throw new GanvasCallError(method, 'bad_response', `The engine host's reply to ${method} does not match the contract: ${message}`, field)
    }
    return output.data as Output<M>
  }

  /** Only well-formed events reach the listener; anything else is reported once and dropped. */
  onEvent(listener: (event: GanvasEvent) => void): () => void {
    return this.bridge.onEvent((raw: unknown) => {
      const event = GanvasEvent.safeParse(raw)
      if (event.success) listener(event.data)
      else console.warn('[ganvas] dropped a malformed event:', describeIssues(event.error, 'event').message)
    })
  }
}

/** Any thrown value as one sentence for the user. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message
  return typeof error === 'string' ? error : 'Something went wrong.'
}
