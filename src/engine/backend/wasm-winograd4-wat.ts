/**
 * Winograd F(4×4, 3×3) transforms in WebAssembly SIMD (see wasm-winograd4.ts for where they run).
 * Each 4×4 output tile comes from a 6×6 input patch d:
 *   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A,
 * 36 products per tile and channel pair where a direct 3×3 conv has 144 (F(2×2) has 16 for 4
 * outputs, i.e. 64 per 16). Every transform here, forward and backward, is a sandwich L X Lᵀ of a
 * tile X with one of the matrices below (Lavin & Gray 2016, interpolation points 0, ±1, ±2, ∞), so
 * one generator writes them all from the matrices: rows first (R = L X), then columns (R Lᵀ).
 * The functions run on four floats at a time: along channels for the NHWC-side tiles, and along
 * four neighbouring tiles for the channel-major input of the filter gradient.
 */
import { add, f4, get, load, locals, loop, minus, plane, planeModule, range, set, shuffle, splat, store, zero } from './wasm-wat'

type Matrix = readonly (readonly number[])[]

export const BT: Matrix = [
  [4, 0, -5, 0, 1, 0],
  [0, -4, -4, 1, 1, 0],
  [0, 4, -4, -1, 1, 0],
  [0, -2, -1, 2, 1, 0],
  [0, 2, -1, -2, 1, 0],
  [0, 4, 0, -5, 0, 1],
]
export const G: Matrix = [
  [1 / 4, 0, 0],
  [-1 / 6, -1 / 6, -1 / 6],
  [-1 / 6, 1 / 6, -1 / 6],
  [1 / 24, 1 / 12, 1 / 6],
  [1 / 24, -1 / 12, 1 / 6],
  [0, 0, 1],
]
export const AT: Matrix = [
  [1, 1, 1, 1, 1, 0],
  [0, 1, -1, 2, -2, 0],
  [0, 1, 1, 4, 4, 0],
  [0, 1, -1, 8, -8, 1],
]
const transposed = (m: Matrix): Matrix => m[0]!.map((_, j) => m.map((row) => row[j]!))

/** A Winograd module's functions (F(4×4): 36 planes; F(2×2), wasm-winograd-simd.ts: 16). */
export interface WinogradSimd {
  /** The planes (V, M, dM, U or dU, by the call) that the functions below read or write. */
  planes(...addresses: number[]): void
  /** V = Bᵀ d B for `tiles` tiles from the patch at `p` (NHWC, image row stride `row`, C·4 = `c4`) into the planes at `o`. */
  inputRow(p: number, row: number, c4: number, tiles: number, o: number): void
  /**
   * Y = Aᵀ M A from the planes at `o` into y at `y`, plus the bias at `bias` (if `hasBias`), then
   * activation (0 linear, 1 relu, 2 leaky); the row's last tile has `lastCols` columns, its tiles `rows` rows.
   */
  outputRow(y: number, row: number, co4: number, tiles: number, o: number, bias: number, hasBias: number, mode: number, slope: number, lastCols: number, rows: number): void
  /** dM = A dY Aᵀ for `tiles` tiles of dy at `dy` into the planes at `o` (outputs past the edge count as 0). */
  gradRow(dy: number, row: number, co4: number, tiles: number, o: number, lastCols: number, rows: number): void
  /** V = Bᵀ d B for 4·`groups` tiles along a row of one channel plane (row stride `row`) into channel-major planes at `o`. */
  planesRow(p: number, row: number, groups: number, o: number): void
  /** U = G g Gᵀ for `bytes` bytes of each HWIO tap plane at `g` (plane stride `plane`) into the planes. */
  filterTiles(g: number, plane: number, bytes: number): void
  /** dg = Gᵀ dU G from the planes into the HWIO gradient at `dw`. */
  filterGrad(dw: number, plane: number, bytes: number): void
}

/** Σ_k c_k · x_k as a v128 expression, skipping zeros and writing ±1 as adds and subtracts. */
function combination(coefficients: readonly number[], x: (k: number) => string): string {
  let sum = ''
  coefficients.forEach((c, k) => {
    if (c === 0) return
    const term = Math.abs(c) === 1 ? x(k) : f4('mul', x(k), splat(Math.abs(c)))
    sum = sum === '' ? (c > 0 ? term : f4('neg', term)) : c > 0 ? f4('add', sum, term) : minus(sum, term)
  })
  return sum === '' ? zero : sum
}

/**
 * L X Lᵀ for the tile X (p×p, x(i, j) an expression, usually a local), L q×p: sets the locals
 * r<i·p + j> to R = L X and returns the code with the expression of each output (i, j) of R Lᵀ.
 */
function sandwich(L: Matrix, x: (i: number, j: number) => string): { code: string; out: (i: number, j: number) => string } {
  const p = L[0]!.length
  const code = range(L.length).map((i) => range(p).map((j) => set(`r${i * p + j}`, combination(L[i]!, (k) => x(k, j)))).join('')).join('')
  return { code, out: (i, j) => combination(L[j]!, (k) => get(`r${i * p + k}`)) }
}

const tileLocals = locals('v128', [...range(36).map((k) => `x${k}`), ...range(36).map((k) => `r${k}`), 't0', 't1', 't2', 't3'])
const x = (width: number) => (i: number, j: number) => get(`x${i * width + j}`)
/** local.set of x<k> for the 36 (or 16, 9) tile values. */
const setTile = (count: number, value: (k: number) => string) => range(count).map((k) => set(`x${k}`, value(k))).join('')
/** c4·j for j = 1..5, hoisted out of the loops as locals k1..k5. */
const strides = (c4: string) => range(5).map((j) => set(`k${j + 1}`, `(i32.mul ${get(c4)} (i32.const ${j + 1}))`)).join('')
const stride = (j: number) => (j === 0 ? '(i32.const 0)' : get(`k${j}`))

const inputRow = `
(func (export "inputRow") (param $p i32) (param $row i32) (param $c4 i32) (param $tiles i32) (param $o i32)
  ${locals('i32', ['t', 'c', 'a', 'q', 'k1', 'k2', 'k3', 'k4', 'k5'])} ${tileLocals}
  ${strides('c4')}
  ${loop('tile', 't', get('tiles'), 1, `
    ${loop('chan', 'c', get('c4'), 16, `
      ${range(6).map((i) => set('a', `(i32.add (i32.add ${get('p')} ${get('c')}) (i32.mul ${get('row')} (i32.const ${i})))`) +
        range(6).map((j) => set(`x${6 * i + j}`, load(add(get('a'), stride(j))))).join('')).join('')}
      ${((s) => s.code + set('q', add(get('o'), get('c'))) + range(36).map((k) => store(add(plane(k), get('q')), s.out(Math.floor(k / 6), k % 6))).join(''))(sandwich(BT, x(6)))}
    `)}
    ${set('p', add(get('p'), `(i32.shl ${get('c4')} (i32.const 2))`))}${set('o', add(get('o'), get('c4')))}
  `)})`

/** Whether output (i, j) of a tile exists: i < rows, and j < cols of this tile. */
const inside = (i: number, j: number) => (i === 0 && j === 0 ? '' : `(i32.and (i32.lt_u (i32.const ${i}) ${get('rows')}) (i32.lt_u (i32.const ${j}) ${get('cols')}))`)
const when = (condition: string, code: string) => (condition === '' ? code : `(if ${condition} (then ${code}))\n`)

const outputRow = `
(func $activate (param $y v128) (param $mode i32) (param $slope v128) (result v128)
  (if (result v128) (i32.eq ${get('mode')} (i32.const 1))
    (then (f32x4.max ${get('y')} ${zero}))
    (else (if (result v128) (i32.eq ${get('mode')} (i32.const 2))
      (then (v128.bitselect (f32x4.mul ${get('y')} ${get('slope')}) ${get('y')} (f32x4.lt ${get('y')} ${zero})))
      (else ${get('y')})))))
(func (export "outputRow") (param $y i32) (param $row i32) (param $co4 i32) (param $tiles i32) (param $o i32)
  (param $bias i32) (param $hasBias i32) (param $mode i32) (param $slope f32) (param $lastCols i32) (param $rows i32)
  ${locals('i32', ['t', 'c', 'q', 'a', 'cols', 'k1', 'k2', 'k3', 'k4', 'k5'])} ${tileLocals} ${locals('v128', ['b', 's'])}
  ${set('s', `(f32x4.splat ${get('slope')})`)}${strides('co4')}
  ${loop('tile', 't', get('tiles'), 1, `
    ${set('cols', `(select (i32.const 4) ${get('lastCols')} (i32.lt_u (i32.add ${get('t')} (i32.const 1)) ${get('tiles')}))`)}
    ${loop('chan', 'c', get('co4'), 16, `
      ${set('q', add(get('o'), get('c')))}
      ${setTile(36, (k) => load(add(plane(k), get('q'))))}
      ${set('b', `(if (result v128) ${get('hasBias')} (then ${load(add(get('bias'), get('c')))}) (else ${zero}))`)}
      ${((s) => s.code + range(16).map((k) => {
        const [i, j] = [k >> 2, k & 3]
        const address = `(i32.add (i32.add ${get('y')} ${get('c')}) (i32.add (i32.mul ${get('row')} (i32.const ${i})) ${stride(j)}))`
        return when(inside(i, j), store(address, `(call $activate ${f4('add', s.out(i, j), get('b'))} ${get('mode')} ${get('s')})`))
      }).join(''))(sandwich(AT, x(6)))}
    `)}
    ${set('y', add(get('y'), `(i32.shl ${get('co4')} (i32.const 2))`))}${set('o', add(get('o'), get('co4')))}
  `)})`

const gradRow = `
(func (export "gradRow") (param $dy i32) (param $row i32) (param $co4 i32) (param $tiles i32) (param $o i32) (param $lastCols i32) (param $rows i32)
  ${locals('i32', ['t', 'c', 'q', 'cols', 'k1', 'k2', 'k3', 'k4', 'k5'])} ${tileLocals}
  ${strides('co4')}
  ${loop('tile', 't', get('tiles'), 1, `
    ${set('cols', `(select (i32.const 4) ${get('lastCols')} (i32.lt_u (i32.add ${get('t')} (i32.const 1)) ${get('tiles')}))`)}
    ${loop('chan', 'c', get('co4'), 16, `
      ${setTile(16, (k) => {
        const [i, j] = [k >> 2, k & 3]
        const value = load(`(i32.add (i32.add ${get('dy')} ${get('c')}) (i32.add (i32.mul ${get('row')} (i32.const ${i})) ${stride(j)}))`)
        return inside(i, j) === '' ? value : `(if (result v128) ${inside(i, j)} (then ${value}) (else ${zero}))`
      })}
      ${((s) => s.code + set('q', add(get('o'), get('c'))) + range(36).map((k) => store(add(plane(k), get('q')), s.out(Math.floor(k / 6), k % 6))).join(''))(sandwich(transposed(AT), x(4)))}
    `)}
    ${set('dy', add(get('dy'), `(i32.shl ${get('co4')} (i32.const 2))`))}${set('o', add(get('o'), get('co4')))}
  `)})`

/** The 4×4 transpose of the locals t0..t3 (rows) into x<base + j·stride> (columns), by eight shuffles. */
const transpose4 = (target: (j: number) => string) => {
  const [a, b, c, d] = ['t0', 't1', 't2', 't3'].map(get)
  const lo = (p: string, q: string) => shuffle(p, q, [0, 4, 1, 5])
  const hi = (p: string, q: string) => shuffle(p, q, [2, 6, 3, 7])
  return [shuffle(lo(a!, b!), lo(c!, d!), [0, 1, 4, 5]), shuffle(lo(a!, b!), lo(c!, d!), [2, 3, 6, 7]),
    shuffle(hi(a!, b!), hi(c!, d!), [0, 1, 4, 5]), shuffle(hi(a!, b!), hi(c!, d!), [2, 3, 6, 7])]
    .map((column, j) => (target(j) === '' ? '' : set(target(j), column))).join('')
}

/**
 * Four tiles at a time along one row of a channel plane (tiles start every 4th column): per patch
 * row, tile u's columns 0–3 and 2–5 are loaded and transposed into columns across the four tiles.
 */
const planesRow = `
(func (export "planesRow") (param $p i32) (param $row i32) (param $groups i32) (param $o i32)
  ${locals('i32', ['g', 'a'])} ${tileLocals}
  ${loop('group', 'g', get('groups'), 1, `
    ${range(6).map((i) => set('a', `(i32.add ${get('p')} (i32.mul ${get('row')} (i32.const ${i})))`) +
      range(4).map((u) => set(`t${u}`, load(`(i32.add ${get('a')} (i32.const ${16 * u}))`))).join('') + transpose4((j) => `x${6 * i + j}`) +
      range(4).map((u) => set(`t${u}`, load(`(i32.add ${get('a')} (i32.const ${16 * u + 8}))`))).join('') + transpose4((j) => (j >= 2 ? `x${6 * i + j + 2}` : ''))).join('')}
    ${((s) => s.code + range(36).map((k) => store(add(plane(k), get('o')), s.out(Math.floor(k / 6), k % 6))).join(''))(sandwich(BT, x(6)))}
    ${set('p', add(get('p'), '(i32.const 64)'))}${set('o', add(get('o'), '(i32.const 16)'))}
  `)})`

const filterTiles = `
(func (export "filterTiles") (param $g i32) (param $plane i32) (param $bytes i32)
  ${locals('i32', ['p'])} ${tileLocals}
  ${loop('pos', 'p', get('bytes'), 16, `
    ${setTile(9, (k) => load(`(i32.add (i32.add ${get('g')} ${get('p')}) (i32.mul ${get('plane')} (i32.const ${k})))`))}
    ${((s) => s.code + range(36).map((k) => store(add(plane(k), get('p')), s.out(Math.floor(k / 6), k % 6))).join(''))(sandwich(G, x(3)))}
  `)})`

const filterGrad = `
(func (export "filterGrad") (param $dw i32) (param $plane i32) (param $bytes i32)
  ${locals('i32', ['p'])} ${tileLocals}
  ${loop('pos', 'p', get('bytes'), 16, `
    ${setTile(36, (k) => load(add(plane(k), get('p'))))}
    ${((s) => s.code + range(9).map((k) => store(`(i32.add (i32.add ${get('dw')} ${get('p')}) (i32.mul ${get('plane')} (i32.const ${k})))`,
      s.out(Math.floor(k / 3), k % 3))).join(''))(sandwich(transposed(G), x(6)))}
  `)})`

export function winograd4Wat(shared: boolean): string {
  return planeModule(shared, 36, [inputRow, outputRow, gradRow, planesRow, filterTiles, filterGrad])
}
