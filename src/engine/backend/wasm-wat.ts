/**
 * Small WebAssembly modules of our own on the wasm backend's memory: builders for their WAT text
 * (SIMD expressions, loops, locals) and their assembly by wabt, instantiated on an imported memory
 * so their functions read and write the backend's tensors in place. Addresses are in bytes.
 */
import wabtInit from 'wabt'

// WAT builders: each returns an expression (or, for set/store, a statement).
export const get = (name: string) => `(local.get $${name})`
/** The k-th plane address, a mutable global the module's `planes` function sets. */
export const plane = (k: number) => `(global.get $v${k})`
export const add = (a: string, b: string) => `(i32.add ${a} ${b})`
export const load = (address: string) => `(v128.load ${address})`
export const store = (address: string, value: string) => `(v128.store ${address} ${value})\n`
export const f4 = (op: 'add' | 'sub' | 'mul' | 'neg', a: string, b?: string) => `(f32x4.${op} ${a}${b ? ` ${b}` : ''})`
export const [plus, minus] = [(a: string, b: string) => f4('add', a, b), (a: string, b: string) => f4('sub', a, b)]
export const splat = (value: number) => `(v128.const f32x4 ${Array(4).fill(String(Math.fround(value))).join(' ')})`
export const zero = splat(0)
export const half = (a: string) => f4('mul', a, splat(0.5))
export const set = (name: string, value: string) => `(local.set $${name} ${value})\n`
export const locals = (type: 'i32' | 'v128', names: string[]) => names.map((n) => `(local $${n} ${type})`).join(' ')
export const range = (n: number) => Array.from({ length: n }, (_, i) => i)
/** Float lanes [a0..a3, b0..b3] picked by index, as i8x16.shuffle's byte lanes. */
export const shuffle = (a: string, b: string, lanes: number[]) =>
  `(i8x16.shuffle ${lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]).join(' ')} ${a} ${b})`
/** do { body } while ((counter += step) < limit), from counter = 0. */
export const loop = (label: string, counter: string, limit: string, step: number, body: string) =>
  `(local.set $${counter} (i32.const 0))\n(loop $${label}\n${body}${set(counter, add(get(counter), `(i32.const ${step})`))}` +
  `(br_if $${label} (i32.lt_u ${get(counter)} ${limit})))\n`
/** The module's `count` plane globals and the exported `planes` function that sets them. */
export const planeGlobals = (count: number) =>
  `${range(count).map((k) => `(global $v${k} (mut i32) (i32.const 0))`).join('\n')}
(func (export "planes") ${range(count).map((k) => `(param $a${k} i32)`).join(' ')}
  ${range(count).map((k) => `(global.set $v${k} (local.get $a${k}))`).join(' ')})`
/** The memory import: the threaded build's memory is shared (and must be declared so, with its maximum). */
export const memoryImport = (shared: boolean) => `(import "env" "memory" (memory 1 ${shared ? '65536 shared' : ''}))`

/** A module on the imported memory with `planes` plane globals and the given functions. */
export const planeModule = (shared: boolean, planes: number, functions: string[]) =>
  `(module\n${memoryImport(shared)}\n${planeGlobals(planes)}\n${functions.join('\n')}\n)`

/** The parts of the WebAssembly JS API used here (the engine's typings, ES2022 + node, leave them out). */
interface WasmApi {
  Memory: abstract new (...args: never[]) => { readonly buffer: ArrayBufferLike }
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: object }
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly
export type WasmMemory = InstanceType<WasmApi['Memory']>
export const isWasmMemory = (m: unknown): m is WasmMemory => m instanceof wasmApi.Memory

let assembler: ReturnType<typeof wabtInit> | undefined

/** Assembles the module `text(shared)` and instantiates it on `memory`; returns its exports. */
export async function instantiateOn<T>(memory: WasmMemory, name: string, text: (shared: boolean) => string): Promise<T> {
  const wabt = await (assembler ??= wabtInit())
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer
  const parsed = wabt.parseWat(`${name}.wat`, text(shared), { simd: true, threads: shared })
  try {
    const { buffer } = parsed.toBinary({})
    return new wasmApi.Instance(new wasmApi.Module(buffer), { env: { memory } }).exports as T
  } finally {
    parsed.destroy()
  }
}
