/**
 * Entry point of the engine process. Picks a backend, says `ready`, then serves calls from the
 * host one message at a time; a bad message is answered with an error and never kills the engine.
 */
import { HostToEngine, engineMethods, type EngineInput, type EngineMethodName, type EngineOutput } from '../shared/engine-protocol'
import { BackendPreference } from '../shared/schemas'
import { selectBackend } from './backend/select'
import { openHostChannel } from './channel'
import { runEngineCheck } from './diagnostics/check'
import { CancelledByHost, type JobHooks } from './job-hooks'

type EngineHandlers = { [M in EngineMethodName]: (input: EngineInput<M>, hooks: JobHooks) => Promise<EngineOutput<M>> }

const handlers: EngineHandlers = {
  check: runEngineCheck,
}

const channel = openHostChannel()
const running = new Map<string, AbortController>()

async function serve(id: string, method: string, input: unknown): Promise<void> {
  if (!Object.prototype.hasOwnProperty.call(engineMethods, method)) {
    channel.post({ kind: 'error', id, error: `unknown engine method "${method}"`, cancelled: false })
    return
  }
  const name = method as EngineMethodName
  const parsed = engineMethods[name].input.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    channel.post({ kind: 'error', id, error: `input.${issue?.path.join('.')}: ${issue?.message}`, cancelled: false })
    return
  }
  const controller = new AbortController()
  running.set(id, controller)
  const hooks: JobHooks = {
    progress: (progress) => channel.post({ kind: 'progress', id, progress }),
    throwIfCancelled: () => {
      if (controller.signal.aborted) throw new CancelledByHost()
    },
    yield: () => new Promise((resolve) => setImmediate(resolve)),
  }
  try {
    const output = await handlers[name](parsed.data, hooks)
    channel.post({ kind: 'result', id, output })
  } catch (error) {
    const cancelled = error instanceof CancelledByHost
    channel.post({ kind: 'error', id, error: error instanceof Error ? error.message : String(error), cancelled })
  } finally {
    running.delete(id)
  }
}

async function main(): Promise<void> {
  const preference = BackendPreference.catch('auto').parse(process.env.GANVAS_BACKEND ?? 'auto')
  let report
  try {
    report = await selectBackend(preference)
  } catch (error) {
    channel.post({ kind: 'fatal', error: error instanceof Error ? error.message : String(error) })
    setTimeout(() => process.exit(1), 100)
    return
  }
  channel.onMessage((raw) => {
    const message = HostToEngine.safeParse(raw)
    if (!message.success) {
      console.warn('[engine] ignored a malformed message:', message.error.issues[0]?.message)
      return
    }
    if (message.data.kind === 'cancel') running.get(message.data.id)?.abort()
    else void serve(message.data.id, message.data.method, message.data.input)
  })
  channel.post({ kind: 'ready', report })
}

void main()
