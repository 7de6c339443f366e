/** For CLI commands that compute: select the TF.js backend in this process and say which it is. */
import type { EngineReport } from '../shared/engine-protocol'
import type { BackendPreference } from '../shared/schemas'
import { selectBackend } from '../engine/backend/select'
import { CliError } from './fail'

export async function startEngineHere(preference: BackendPreference): Promise<EngineReport> {
  try {
    return await selectBackend(preference)
  } catch (error) {
    throw new CliError(`${(error as Error).message}. Try --backend wasm.`)
  }
}
