/**
 * DiffAugment (Zhao et al. 2020): the same random, differentiable augmentations applied to every
 * image D sees, real and fake, in both D's and G's updates, so D cannot memorise a small data set
 * and G is not taught to produce augmented images. Parameters as published: brightness ±0.5,
 * saturation ×[0, 2], contrast ×[0.5, 1.5], translation up to 1/8 of the side, cutout of half the side.
 * Every random choice comes from the run's RNG, so a run stays repeatable and resumable.
 */
import * as tf from '@tensorflow/tfjs'
import type { AugmentOp } from '../../shared/training'
import type { Random } from '../random'

const perImage = (random: Random, n: number, f: (u: number) => number) => tf.tensor4d(Array.from({ length: n }, () => f(random.next())), [n, 1, 1, 1])

function color(x: tf.Tensor4D, random: Random): tf.Tensor4D {
  const n = x.shape[0]
  let y: tf.Tensor4D = tf.add(x, perImage(random, n, (u) => u - 0.5))
  const channelMean = tf.mean(y, 3, true)
  y = tf.add(tf.mul(tf.sub(y, channelMean), perImage(random, n, (u) => u * 2)), channelMean)
  const imageMean = tf.mean(y, [1, 2, 3], true)
  return tf.add(tf.mul(tf.sub(y, imageMean), perImage(random, n, (u) => u + 0.5)), imageMean)
}

function translation(x: tf.Tensor4D, random: Random, ratio = 1 / 8): tf.Tensor4D {
  const [n, h, w, c] = x.shape
  const sy = Math.round(h * ratio)
  const sx = Math.round(w * ratio)
  const padded = tf.pad(x, [[0, 0], [sy, sy], [sx, sx], [0, 0]])
  const shifted = Array.from({ length: n }, (_, i) => {
    const dy = random.int(2 * sy + 1)
    const dx = random.int(2 * sx + 1)
    return tf.slice(padded, [i, dy, dx, 0], [1, h, w, c])
  })
  return tf.concat(shifted, 0)
}

function cutout(x: tf.Tensor4D, random: Random, ratio = 1 / 2): tf.Tensor4D {
  const [n, h, w] = x.shape
  const ch = Math.round(h * ratio)
  const cw = Math.round(w * ratio)
  const mask = new Float32Array(n * h * w).fill(1)
  for (let i = 0; i < n; i++) {
    // The square's centre anywhere in the image; the part outside is clipped, as published.
    const top = random.int(h + (1 - (ch % 2))) - Math.floor(ch / 2)
    const left = random.int(w + (1 - (cw % 2))) - Math.floor(cw / 2)
    for (let r = Math.max(0, top); r < Math.min(h, top + ch); r++) {
      mask.fill(0, i * h * w + r * w + Math.max(0, left), i * h * w + r * w + Math.min(w, left + cw))
    }
  }
  return tf.mul(x, tf.tensor4d(mask, [n, h, w, 1]))
}

const ops: Record<AugmentOp, (x: tf.Tensor4D, random: Random) => tf.Tensor4D> = { color, translation, cutout }

/** Applies `policy` in the published order (color, translation, cutout). */
export function diffAugment(x: tf.Tensor4D, policy: readonly AugmentOp[], random: Random): tf.Tensor4D {
  let y = x
  for (const op of ['color', 'translation', 'cutout'] as const) if (policy.includes(op)) y = ops[op](y, random)
  return y
}
