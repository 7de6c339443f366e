import { describe, expect, it } from 'vitest'
import { isWasmAbort } from './wasm-abort'

describe('isWasmAbort', () => {
  it('recognises emscripten aborts and nothing else', () => {
    const runtimeError = Object.assign(new Error('Aborted(). Build with -sASSERTIONS for more info.'), { name: 'RuntimeError' })
    expect(isWasmAbort(runtimeError)).toBe(true)
    expect(isWasmAbort(new Error('Aborted(OOM)'))).toBe(true)
    expect(isWasmAbort(new Error('The engine process stopped unexpectedly'))).toBe(false)
    expect(isWasmAbort('Aborted()')).toBe(false)
  })
})
