/** Types for the parts of `gifenc` (a pure-JS GIF encoder that ships no types) that gif.ts uses. */
declare module 'gifenc' {
  /** Colours as [r, g, b] (or [r, g, b, a] for the rgba4444 format). */
  export type Palette = number[][]
  export type ColorFormat = 'rgb565' | 'rgb444' | 'rgba4444'

  export interface FrameOptions {
    palette?: Palette
    /** Milliseconds; GIF stores hundredths of a second. */
    delay?: number
    /** -1 once, 0 forever, n times. */
    repeat?: number
    transparent?: boolean
    transparentIndex?: number
    dispose?: number
    first?: boolean
  }

  export interface GifStream {
    writeByte(byte: number): void
    writeBytes(bytes: Uint8Array, offset?: number, length?: number): void
  }

  export interface Encoder {
    writeFrame(index: Uint8Array, width: number, height: number, options?: FrameOptions): void
    finish(): void
    bytes(): Uint8Array
    readonly stream: GifStream
  }

  export function GIFEncoder(options?: { auto?: boolean; initialCapacity?: number }): Encoder
  /** A palette of at most `maxColors` for RGBA pixels (4 bytes each). */
  export function quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number, options?: { format?: ColorFormat }): Palette
  /** Each RGBA pixel's nearest palette index. */
  export function applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: Palette, format?: ColorFormat): Uint8Array
}
