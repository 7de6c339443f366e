/**
 * The image history buffer of Shrivastava et al. 2017, as CycleGAN uses it: the discriminator sees
 * either the newest generated image or, half the time once the pool is full, an older one (which
 * the new one replaces). This damps oscillation between generator and discriminator.
 */
import * as tf from '@tensorflow/tfjs'
import type { Random } from '../random'

export class ImagePool {
  readonly #images: tf.Tensor3D[] = []

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#images.length
  }

  /**
   * Returns a batch for the discriminator; the pool keeps its own copies. Caller owns the result.
   * Draws from the run's RNG, so a resumed run makes the same choices.
   */
  query(batch: tf.Tensor4D, random: Random): tf.Tensor4D {
    if (this.capacity === 0) return tf.clone(batch)
    const evicted: tf.Tensor[] = []
    const result = tf.tidy(() => {
      const picked = tf.unstack(batch).map((image) => {
        const img = image as tf.Tensor3D
        if (this.#images.length < this.capacity) {
          this.#images.push(tf.keep(tf.clone(img)))
          return img
        }
        if (random.next() < 0.5) {
          const slot = random.int(this.capacity)
          const old = this.#images[slot]!
          this.#images[slot] = tf.keep(tf.clone(img))
          evicted.push(old)
          return old
        }
        return img
      })
      return tf.stack(picked) as tf.Tensor4D
    })
    for (const old of evicted) old.dispose() // stacked into the result; no longer in the pool
    return result
  }

  /** Copies of the pool's contents for a checkpoint; the caller disposes them. */
  tensors(prefix: string): { name: string; tensor: tf.Tensor }[] {
    return this.#images.map((tensor, i) => ({ name: `${prefix}/${i}`, tensor: tensor.clone() }))
  }

  /** Refill from a checkpoint (takes ownership of the tensors). */
  restore(images: tf.Tensor[]): void {
    this.dispose()
    for (const image of images) this.#images.push(image as tf.Tensor3D)
  }

  dispose(): void {
    for (const image of this.#images.splice(0)) image.dispose()
  }
}
