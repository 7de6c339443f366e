import { WASM_ABORT_ADVICE, isWasmAbort } from '../engine/backend/wasm-abort'

/** CLI errors: one line on stderr saying what is wrong and what to do, and a non-zero exit. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}

export function reportAndExit(error: unknown): never {
  const message = isWasmAbort(error) ? WASM_ABORT_ADVICE : error instanceof Error ? error.message : String(error)
  process.stderr.write(`ganvas: ${message.split('\n')[0]}\n`)
  process.exit(error instanceof CliError ? error.exitCode : 1)
}
