/**
 * One benchmark row in a process of its own (started by run.ts through tsx):
 *
 *   node --import tsx src/engine/bench/child.ts '{"plan": {...}, "backend": "auto"}'
 *
 * Sends two messages over IPC: the backend it got, then the row's measurement or why it failed.
 * A wasm abort (heap out of memory) kills the wasm module for the rest of the process, which is
 * why each row has its own.
 */
import { fileURLToPath } from 'node:url'
import { selectBackend } from '../backend/select'
import type { BackendPreference } from '../../shared/schemas'
import { failureReason } from './failure'
import { backendThreads, measureRow } from './measure'
import { isRowId, type RowPlan } from './rows'
import type { ChildMessage } from './protocol'

const send = (message: ChildMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()))

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as { plan: RowPlan; backend: BackendPreference }
  try {
    const engine = await selectBackend(input.backend)
    await send({
      kind: 'engine',
      engine: {
        backend: engine.backend,
        backendPackage: engine.backendPackage,
        device: engine.device,
        tfjsVersion: engine.tfjsVersion,
        threads: await backendThreads(engine.backend),
      },
    })
    if (!isRowId(input.plan.id)) throw new Error(`unknown bench row "${String(input.plan.id)}"`)
    await send({ kind: 'result', ok: true, ...(await measureRow(input.plan)) })
  } catch (error) {
    await send({ kind: 'result', ok: false, reason: failureReason(error), peakRssMb: process.resourceUsage().maxRSS / 1024 })
  }
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  await main()
  process.exit(0) // a wasm abort can leave handles open; the row is done either way
}
