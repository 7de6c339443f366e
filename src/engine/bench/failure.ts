/** Why a benchmark row failed, in one line for the table. */
import { isWasmAbort } from '../backend/wasm-abort'

export const WASM_OUT_OF_MEMORY = 'wasm heap out of memory (4 GB): the WebAssembly module aborted'

export function failureReason(error: unknown): string {
  if (isWasmAbort(error)) return WASM_OUT_OF_MEMORY
  const message = error instanceof Error ? error.message : String(error)
  return (message.split('\n')[0] ?? 'failed').slice(0, 300)
}
