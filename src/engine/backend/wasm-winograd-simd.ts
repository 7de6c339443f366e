/**
 * The Winograd F(2×2, 3×3) transforms of wasm-winograd.ts and wasm-winograd-filter-grad.ts in
 * WebAssembly SIMD, four floats at a time, on the wasm backend's own memory (imported, so they read
 * and write its tensors in place). As JavaScript loops they took ~25 of the ~85 ms of a 64×64×256
 * conv. The formulas are the ones written out beside the JavaScript versions; these functions
 * compute the same sums in the same order.
 *
 * The module is WAT text built here and assembled by wabt when the backend starts. Each function
 * handles one row of tiles (the caller loops over rows): the 16 transform planes are set once per
 * conv through `planes`, as mutable globals. Addresses are in bytes.
 */
import type * as tf from '@tensorflow/tfjs'
import type { WasmBackendLike } from './wasm-kernels'
import { heapOf } from './wasm-ops'
import { add, f4, get, half, instantiateOn, isWasmMemory, load, locals, loop, minus, plane, planeModule, plus, range, set, shuffle, store, zero, type WasmMemory } from './wasm-wat'
import { winograd4Wat, type WinogradSimd } from './wasm-winograd4-wat'

/** The F(2×2, 3×3) module has the same functions as F(4×4)'s, on 16 planes. */
export type { WinogradSimd }

const grid4 = (prefix: string) => range(16).map((k) => `${prefix}${k >> 2}${k & 3}`)

/** The column step of Bᵀ d B for one row i of r = Bᵀ d: [r0 − r2, r1 + r2, r2 − r1, r1 − r3]. */
const inputColumns = (r: (j: number) => string) => [minus(r(0), r(2)), plus(r(1), r(2)), minus(r(2), r(1)), minus(r(1), r(3))]
/** The row step r = Bᵀ d, from rows d(0..3) of one column. */
const inputRows = (d: (i: number) => string) => [minus(d(0), d(2)), plus(d(1), d(2)), minus(d(2), d(1)), minus(d(1), d(3))]

const inputRow = `
(func (export "inputRow") (param $p i32) (param $row i32) (param $c4 i32) (param $tiles i32) (param $o i32)
  ${locals('i32', ['t', 'c', 'a0', 'a1', 'a2', 'a3', 'q'])} ${locals('v128', [...grid4('d'), ...grid4('r')])}
  ${loop('tile', 't', get('tiles'), 1, `
    ${loop('chan', 'c', get('c4'), 16, `
      ${set('a0', add(get('p'), get('c')))}${set('a1', add(get('a0'), get('row')))}${set('a2', add(get('a1'), get('row')))}${set('a3', add(get('a2'), get('row')))}
      ${range(16).map((k) => set(`d${k >> 2}${k & 3}`, load(`(i32.add ${get(`a${k >> 2}`)} (i32.mul ${get('c4')} (i32.const ${k & 3})))`))).join('')}
      ${range(4).map((j) => inputRows((i) => get(`d${i}${j}`)).map((e, i) => set(`r${i}${j}`, e)).join('')).join('')}
      ${set('q', add(get('o'), get('c')))}
      ${range(4).map((i) => inputColumns((j) => get(`r${i}${j}`)).map((e, j) => store(add(plane(4 * i + j), get('q')), e)).join('')).join('')}
    `)}
    ${set('p', add(get('p'), `(i32.shl ${get('c4')} (i32.const 1))`))}${set('o', add(get('o'), get('c4')))}
  `)})`

const outputRow = `
(func $activate (param $y v128) (param $mode i32) (param $slope v128) (result v128)
  (if (result v128) (i32.eq ${get('mode')} (i32.const 1))
    (then (f32x4.max ${get('y')} (v128.const f32x4 0 0 0 0)))
    (else (if (result v128) (i32.eq ${get('mode')} (i32.const 2))
      (then (v128.bitselect (f32x4.mul ${get('y')} ${get('slope')}) ${get('y')} (f32x4.lt ${get('y')} (v128.const f32x4 0 0 0 0))))
      (else ${get('y')})))))
(func (export "outputRow") (param $y i32) (param $row i32) (param $co4 i32) (param $tiles i32) (param $o i32)
  (param $bias i32) (param $hasBias i32) (param $mode i32) (param $slope f32) (param $lastCols i32) (param $rows i32)
  ${locals('i32', ['t', 'c', 'q', 'secondCol'])} ${locals('v128', [...grid4('m'), 'a0', 'a1', 'a2', 'a3', 'c0', 'c1', 'c2', 'c3', 'b', 's', 'y00', 'y01', 'y10', 'y11'])}
  ${set('s', `(f32x4.splat ${get('slope')})`)}
  ${loop('tile', 't', get('tiles'), 1, `
    ${set('secondCol', `(i32.or (i32.lt_u (i32.add ${get('t')} (i32.const 1)) ${get('tiles')}) (i32.gt_u ${get('lastCols')} (i32.const 1)))`)}
    ${loop('chan', 'c', get('co4'), 16, `
      ${set('q', add(get('o'), get('c')))}
      ${range(16).map((k) => set(`m${k >> 2}${k & 3}`, load(add(plane(k), get('q'))))).join('')}
      ${range(4).map((j) => set(`a${j}`, plus(plus(get(`m0${j}`), get(`m1${j}`)), get(`m2${j}`))) + set(`c${j}`, minus(minus(get(`m1${j}`), get(`m2${j}`)), get(`m3${j}`)))).join('')}
      ${set('b', `(if (result v128) ${get('hasBias')} (then ${load(add(get('bias'), get('c')))}) (else (v128.const f32x4 0 0 0 0)))`)}
      ${[['y00', 'a', '+'], ['y01', 'a', '-'], ['y10', 'c', '+'], ['y11', 'c', '-']].map(([y, v, sign]) => set(y!, `(call $activate ${plus(
        sign === '+' ? plus(plus(get(`${v}0`), get(`${v}1`)), get(`${v}2`)) : minus(minus(get(`${v}1`), get(`${v}2`)), get(`${v}3`)), get('b'))} ${get('mode')} ${get('s')})`)).join('')}
      ${store(add(get('y'), get('c')), get('y00'))}
      (if ${get('secondCol')} (then ${store(add(add(get('y'), get('c')), get('co4')), get('y01'))}))
      (if (i32.gt_u ${get('rows')} (i32.const 1)) (then ${store(add(add(get('y'), get('c')), get('row')), get('y10'))}
        (if ${get('secondCol')} (then ${store(add(add(add(get('y'), get('c')), get('row')), get('co4')), get('y11'))}))))
    `)}
    ${set('y', add(get('y'), `(i32.shl ${get('co4')} (i32.const 1))`))}${set('o', add(get('o'), get('co4')))}
  `)})`

const gradRow = `
(func (export "gradRow") (param $dy i32) (param $row i32) (param $co4 i32) (param $tiles i32) (param $o i32) (param $lastCols i32) (param $rows i32)
  ${locals('i32', ['t', 'c', 'q', 'a', 'secondCol'])} ${locals('v128', ['y00', 'y01', 'y10', 'y11', 'r10', 'r11', 'r20', 'r21'])}
  ${loop('tile', 't', get('tiles'), 1, `
    ${set('secondCol', `(i32.or (i32.lt_u (i32.add ${get('t')} (i32.const 1)) ${get('tiles')}) (i32.gt_u ${get('lastCols')} (i32.const 1)))`)}
    ${loop('chan', 'c', get('co4'), 16, `
      ${set('a', add(get('dy'), get('c')))}
      ${set('y00', load(get('a')))}
      ${set('y01', `(if (result v128) ${get('secondCol')} (then ${load(add(get('a'), get('co4')))}) (else ${zero}))`)}
      ${set('y10', `(if (result v128) (i32.gt_u ${get('rows')} (i32.const 1)) (then ${load(add(get('a'), get('row')))}) (else ${zero}))`)}
      ${set('y11', `(if (result v128) (i32.and ${get('secondCol')} (i32.gt_u ${get('rows')} (i32.const 1))) (then ${load(add(add(get('a'), get('row')), get('co4')))}) (else ${zero}))`)}
      ${set('r10', plus(get('y00'), get('y10')))}${set('r11', plus(get('y01'), get('y11')))}${set('r20', minus(get('y00'), get('y10')))}${set('r21', minus(get('y01'), get('y11')))}
      ${set('q', add(get('o'), get('c')))}
      ${[get('y00'), plus(get('y00'), get('y01')), minus(get('y00'), get('y01')), f4('neg', get('y01')),
        get('r10'), plus(get('r10'), get('r11')), minus(get('r10'), get('r11')), f4('neg', get('r11')),
        get('r20'), plus(get('r20'), get('r21')), minus(get('r20'), get('r21')), f4('neg', get('r21')),
        f4('neg', get('y10')), minus(f4('neg', get('y10')), get('y11')), minus(get('y11'), get('y10')), get('y11'),
      ].map((e, k) => store(add(plane(k), get('q')), e)).join('')}
    `)}
    ${set('dy', add(get('dy'), `(i32.shl ${get('co4')} (i32.const 1))`))}${set('o', add(get('o'), get('co4')))}
  `)})`

/**
 * Four tiles at a time along one row of a channel plane: each patch row is read as columns 0–3, 4–7
 * and 6–9 of the group, the row step runs on those, and shuffles pick each tile's columns j = 0..3
 * (the tiles start every second column).
 */
const planesRow = `
(func (export "planesRow") (param $p i32) (param $row i32) (param $groups i32) (param $o i32)
  ${locals('i32', ['g', 'a'])} ${locals('v128', [...range(12).map((k) => `d${k}`), ...range(12).map((k) => `r${k}`), 't'])}
  ${loop('group', 'g', get('groups'), 1, `
    ${range(4).map((i) => set('a', `(i32.add ${get('p')} (i32.mul ${get('row')} (i32.const ${i})))`) +
      [0, 16, 24].map((offset, part) => set(`d${3 * i + part}`, load(`(i32.add ${get('a')} (i32.const ${offset}))`))).join('')).join('')}
    ${range(3).map((part) => inputRows((i) => get(`d${3 * i + part}`)).map((e, i) => set(`r${3 * i + part}`, e)).join('')).join('')}
    ${range(4).map((i) => {
      const [c03, c47, c69] = [get(`r${3 * i}`), get(`r${3 * i + 1}`), get(`r${3 * i + 2}`)]
      // Columns 0..3 of the four tiles, into d0..d3 (free once the row step is done).
      return set('t', shuffle(c47, c69, [0, 2, 6, 7])) + // columns 4, 6, 8, 9
        set('d0', shuffle(c03, c47, [0, 2, 4, 6])) +
        set('d1', shuffle(c03, c47, [1, 3, 5, 7])) +
        set('d2', shuffle(c03, get('t'), [2, 4, 5, 6])) +
        set('d3', shuffle(c03, shuffle(c47, c69, [1, 3, 7, 7]), [3, 4, 5, 6])) +
        inputColumns((j) => get(`d${j}`)).map((e, j) => store(add(plane(4 * i + j), get('o')), e)).join('')
    }).join('')}
    ${set('p', add(get('p'), '(i32.const 32)'))}${set('o', add(get('o'), '(i32.const 16)'))}
  `)})`

const filterTiles = `
(func (export "filterTiles") (param $g i32) (param $plane i32) (param $bytes i32)
  ${locals('i32', ['p'])} ${locals('v128', [...range(9).map((k) => `g${k}`), 'r0', 'r1', 'r2', 'r3', 'r4', 'r5'])}
  ${loop('pos', 'p', get('bytes'), 16, `
    ${range(9).map((k) => set(`g${k}`, load(`(i32.add (i32.add ${get('g')} ${get('p')}) (i32.mul ${get('plane')} (i32.const ${k})))`))).join('')}
    ${range(3).map((j) => set(`r${j}`, half(plus(plus(get(`g${j}`), get(`g${3 + j}`)), get(`g${6 + j}`)))) +
      set(`r${3 + j}`, half(plus(minus(get(`g${j}`), get(`g${3 + j}`)), get(`g${6 + j}`))))).join('')}
    ${[[0, 1, 2].map((j) => get(`g${j}`)), [0, 1, 2].map((j) => get(`r${j}`)), [0, 1, 2].map((j) => get(`r${3 + j}`)), [6, 7, 8].map((j) => get(`g${j}`))]
      .flatMap(([x0, x1, x2]) => [x0!, half(plus(plus(x0!, x1!), x2!)), half(plus(minus(x0!, x1!), x2!)), x2!])
      .map((e, k) => store(add(plane(k), get('p')), e)).join('')}
  `)})`

const filterGrad = `
(func (export "filterGrad") (param $dw i32) (param $plane i32) (param $bytes i32)
  ${locals('i32', ['p', 'w'])} ${locals('v128', [...range(16).map((k) => `u${k}`), ...range(12).map((k) => `t${k}`), 's'])}
  ${loop('pos', 'p', get('bytes'), 16, `
    ${range(16).map((k) => set(`u${k}`, load(add(plane(k), get('p'))))).join('')}
    ${range(4).map((j) => set('s', half(plus(get(`u${4 + j}`), get(`u${8 + j}`)))) + set(`t${j}`, plus(get(`u${j}`), get('s'))) +
      set(`t${4 + j}`, half(minus(get(`u${4 + j}`), get(`u${8 + j}`)))) + set(`t${8 + j}`, plus(get('s'), get(`u${12 + j}`)))).join('')}
    ${set('w', add(get('dw'), get('p')))}
    ${range(3).map((i) => {
      const [e0, e1, e2, e3] = range(4).map((j) => get(`t${4 * i + j}`))
      return [plus(e0!, half(plus(e1!, e2!))), half(minus(e1!, e2!)), plus(half(plus(e1!, e2!)), e3!)]
        .map((e, j) => store(`(i32.add ${get('w')} (i32.mul ${get('plane')} (i32.const ${3 * i + j})))`, e)).join('')
    }).join('')}
  `)})`

function moduleText(shared: boolean): string {
  return planeModule(shared, 16, [inputRow, outputRow, gradRow, planesRow, filterTiles, filterGrad])
}

/** For tests: the module's text. */
export const winogradWat = moduleText

/**
 * Whether the transforms take the SIMD path when it is ready, and with which output tile: F(4×4, 3×3)
 * (fewer multiplies, SIMD only) or F(2×2, 3×3). Tests and A/B timings change these.
 */
export const simdTransforms: { enabled: boolean; tile: 2 | 4 } = { enabled: true, tile: 4 }

const byBackend = new WeakMap<object, { f2: WinogradSimd; f4: WinogradSimd }>()

interface EmscriptenModule { wasmMemory?: WasmMemory; asm?: { memory?: WasmMemory } }

/**
 * Makes the SIMD transforms ready for a started wasm backend: its memory is `wasmMemory` in the
 * threaded build and the module's exported `memory` in the plain one. Returns false (and the
 * JavaScript transforms stay) when neither is found or the modules cannot be built.
 */
export async function prepareWinogradSimd(backend: object): Promise<boolean> {
  if (byBackend.has(backend)) return true
  const wasm = (backend as { wasm?: EmscriptenModule }).wasm
  const memory = wasm?.wasmMemory ?? wasm?.asm?.memory
  if (!isWasmMemory(memory)) return false
  try {
    const f2 = await instantiateOn<WinogradSimd>(memory, 'winograd2', moduleText)
    const f4Module = await instantiateOn<WinogradSimd>(memory, 'winograd4', winograd4Wat)
    byBackend.set(backend, { f2, f4: f4Module })
    return true
  } catch {
    return false
  }
}

/** The backend's F(2×2, 3×3) SIMD transforms, when prepared and enabled. */
export function winogradSimdOf(backend: object): WinogradSimd | undefined {
  return simdTransforms.enabled ? byBackend.get(backend)?.f2 : undefined
}

/** The backend's F(4×4, 3×3) SIMD transforms, when prepared, enabled and chosen (simdTransforms.tile). */
export function winograd4Of(backend: object): WinogradSimd | undefined {
  return simdTransforms.enabled && simdTransforms.tile === 4 ? byBackend.get(backend)?.f4 : undefined
}

/**
 * For each row of m×m output tiles of the NHWC tensor at float offset `base`, the arguments that the
 * row functions on the output side share: the row's byte address, the bytes of one image row and of
 * one pixel, the row's byte offset in the planes, the columns of its last tile and its rows (≤ m).
 */
export function eachOutputTileRow(base: number, shape: number[], m: number, Th: number, Tw: number,
  row: (address: number, rowBytes: number, pixelBytes: number, o: number, lastCols: number, rows: number) => void) {
  const [N, OH, OW, CO] = shape as [number, number, number, number]
  for (let n = 0; n < N; n++) {
    for (let ty = 0; ty < Th; ty++) {
      row(4 * (base + (n * OH + m * ty) * OW * CO), 4 * OW * CO, 4 * CO, 4 * (n * Th + ty) * Tw * CO, OW - m * (Tw - 1), Math.min(m, OH - m * ty))
    }
  }
}

/** outputRow's bias and activation arguments: the bias's byte address, whether there is one, and the activation's mode. */
export function activationArgs(backend: WasmBackendLike, bias: tf.TensorInfo | undefined, activation: 'linear' | 'relu' | 'leakyrelu'): [number, number, number] {
  return [bias ? 4 * heapOf(backend, bias)[1] : 0, bias ? 1 : 0, activation === 'relu' ? 1 : activation === 'leakyrelu' ? 2 : 0]
}

/** Byte addresses of tensors in the heap, for `planes`. */
export const byteAddresses = (offsets: readonly number[]) => offsets.map((o) => 4 * o)
/** The byte addresses of the planes `ts`, for `planes`. */
export const planeAddresses = (backend: WasmBackendLike, ts: tf.TensorInfo[]) => ts.map((t) => 4 * heapOf(backend, t)[1])
