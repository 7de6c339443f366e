import { createHost, type Host } from '../../src/service/host'
import { nodeEngineLauncher } from '../../src/service/node-launcher'
import type { GanvasEvent } from '../../src/shared/contract'
import type { Job } from '../../src/shared/schemas'
import { tempHome } from './temp-home'
import { waitFor } from './wait-for'

/** A host with the real engine process on wasm, in a throwaway GANVAS_HOME, recording every event. */
export async function startRealEngineHost(): Promise<{ host: Host; home: string; events: GanvasEvent[]; stop(): Promise<void> }> {
  const temp = await tempHome()
  const host = await createHost({ home: temp.home, transport: 'serve', version: 't', launcher: nodeEngineLauncher(), backendOverride: 'wasm' })
  const events: GanvasEvent[] = []
  host.events.subscribe((e) => events.push(e))
  await host.engine.whenReady()
  return {
    host,
    home: temp.dir,
    events,
    stop: async () => {
      host.dispose()
      await temp.cleanup()
    },
  }
}

/** The job as it ended (finished, stopped or failed), once its last event has arrived. */
export const jobEnded = (events: GanvasEvent[], jobId: string) =>
  waitFor(
    `job ${jobId} to end`,
    () => {
      const end = events.find((e) => (e.type === 'job.finished' || e.type === 'job.failed') && e.job.id === jobId)
      return end && 'job' in end ? (end.job as Job) : undefined
    },
    120_000,
  )
