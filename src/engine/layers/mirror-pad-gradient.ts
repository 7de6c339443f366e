/**
 * A correct gradient for MirrorPad. TF.js 4.22's only slices the padded gradient to the input's
 * shape, dropping what flowed through the mirrored borders (off by up to 2.7 against finite
 * differences for CycleGAN's reflection padding). Here each border's gradient is folded back
 * onto the input positions it was copied from, one axis at a time.
 */
import * as tf from '@tensorflow/tfjs'
import { MIRROR_PAD_GRAD, mirrorPadGradApplies } from '../backend/wasm-mirror-pad-grad'

type Mode = 'reflect' | 'symmetric'

function foldAxis(g: tf.Tensor, axis: number, before: number, after: number, inner: number, mode: Mode): tf.Tensor {
  if (before === 0 && after === 0) return g
  const rank = g.rank
  const sliceAxis = (start: number, size: number) => {
    const begin = new Array<number>(rank).fill(0)
    const sizes = g.shape.slice()
    begin[axis] = start
    sizes[axis] = size
    return tf.slice(g, begin, sizes)
  }
  // Place a border's gradient at [offset, offset + length) of the inner extent.
  const placed = (part: tf.Tensor, offset: number) => {
    const paddings = g.shape.map((): [number, number] => [0, 0])
    paddings[axis] = [offset, inner - offset - part.shape[axis]!]
    return tf.pad(tf.reverse(part, axis), paddings)
  }
  // 'reflect' skips the edge element (padded index i ← inner index before − i), 'symmetric' repeats it.
  const shift = mode === 'reflect' ? 1 : 0
  let result = sliceAxis(before, inner)
  if (before > 0) result = tf.add(result, placed(sliceAxis(0, before), shift))
  if (after > 0) result = tf.add(result, placed(sliceAxis(before + inner, after), inner - after - shift))
  return result
}

export function registerMirrorPadGradient(): void {
  tf.registerGradient({
    kernelName: tf.MirrorPad,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0]!
      const { paddings, mode } = attrs as unknown as { paddings: [number, number][]; mode: Mode }
      // A backend with the one-pass kernel (wasm) uses it, unless this gradient is itself being
      // differentiated (the kernel has no gradient of its own).
      const oneKernel = tf.getKernel(MIRROR_PAD_GRAD, tf.getBackend()) != null && tf.engine().state.gradientDepth === 0 &&
        mirrorPadGradApplies(x.rank, paddings)
      if (oneKernel) return { x: () => tf.engine().runKernel(MIRROR_PAD_GRAD, { dy: dy as tf.Tensor }, { paddings, mode } as unknown as tf.NamedAttrMap) as tf.Tensor }
      return {
        x: () =>
          paddings.reduce<tf.Tensor>(
            (g, [before, after], axis) => foldAxis(g, axis, before, after, x.shape[axis]!, mode),
            dy as tf.Tensor,
          ),
      }
    },
  })
}
