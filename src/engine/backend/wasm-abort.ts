/**
 * When the WebAssembly backend runs out of heap (wasm32: at most 4 GB), emscripten aborts the
 * module: the op throws "Aborted()" and every later op fails too. Callers turn that into advice,
 * and the engine process exits so the host starts a fresh one.
 */
export function isWasmAbort(error: unknown): boolean {
  return error instanceof Error && /^Aborted\(/.test(error.message)
}

export const WASM_ABORT_ADVICE =
  'the WebAssembly backend ran out of memory (its heap is limited to 4 GB) and stopped. ' +
  'Use a smaller --size or --batch (CycleGAN at 256 px needs more than wasm can hold), or the native TensorFlow backend (@tensorflow/tfjs-node).'
