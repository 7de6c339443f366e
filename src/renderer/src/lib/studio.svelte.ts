/**
 * Everything the views share: the client and the stores, wired to the event stream. After a
 * reconnect the stores reload, because events sent while the socket was down are lost.
 */
import { getContext, setContext } from 'svelte'
import { GanvasClient } from './client'
import { ConnectionStore } from './connection.svelte'
import { EngineStore } from './engine.svelte'
import { JobsStore } from './jobs.svelte'
import { ModelsStore } from './models.svelte'
import { whenReconnected } from './reconnect'
import { SettingsStore } from './settings.svelte'
import type { Transport } from './transport'

export class Studio {
  readonly client: GanvasClient
  readonly connection: ConnectionStore
  readonly engine: EngineStore
  readonly jobs: JobsStore
  readonly models: ModelsStore
  readonly settings: SettingsStore
  readonly #transport: Transport
  readonly #stop: Array<() => void> = []

  constructor(transport: Transport) {
    this.#transport = transport
    this.client = new GanvasClient(transport.bridge)
    this.connection = new ConnectionStore(transport.connection)
    this.engine = new EngineStore(this.client)
    this.jobs = new JobsStore(this.client)
    this.models = new ModelsStore(this.client)
    this.settings = new SettingsStore(this.client)
  }

  start(): void {
    this.#stop.push(
      this.client.onEvent((event) => {
        this.engine.receive(event)
        this.jobs.receive(event)
      }),
    )
    this.#stop.push(whenReconnected(this.#transport.connection, () => void this.reload()))
    void this.reload()
  }

  /** The first load also waits in the bridge's outbox until the socket opens. */
  async reload(): Promise<void> {
    const loads = [this.engine.refresh(), this.jobs.refresh(), this.settings.refresh()]
    // The library is first read when the Models view opens; once read, keep it current.
    if (this.models.entries !== null) loads.push(this.models.refresh())
    await Promise.all(loads)
  }

  dispose(): void {
    for (const stop of this.#stop.splice(0)) stop()
    this.#transport.dispose()
  }
}

const STUDIO_KEY = Symbol('ganvas.studio')

export function setStudioContext(studio: Studio): Studio {
  return setContext(STUDIO_KEY, studio)
}

export function getStudioContext(): Studio {
  const studio = getContext<Studio | undefined>(STUDIO_KEY)
  if (!studio) throw new Error('getStudioContext() was called outside <App>: the studio is not provided')
  return studio
}
