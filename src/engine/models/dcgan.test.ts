import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { dcganDiscriminator, dcganGenerator, frozenDiscriminatorWeights } from './dcgan'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** [layer name, output shape] of every layer whose name matches. */
const table = (model: tf.LayersModel, pattern: RegExp) =>
  model.layers.filter((l) => pattern.test(l.name)).map((l) => [l.name, (l.outputShape as number[]).slice(1)])

describe('DCGAN generator (Radford et al. 2016, fig. 1)', () => {
  it('at 64 px: z → 4×4×512 → 8×8×256 → 16×16×128 → 32×32×64 → 64×64×3 with BN + ReLU, tanh out', () => {
    const g = dcganGenerator({ size: 64, z: 100, ngf: 64, ndf: 64, classes: 0 })
    expect(table(g, /_relu$|^tanh$/)).toEqual([
      ['project_relu', [4, 4, 512]],
      ['up1_relu', [8, 8, 256]],
      ['up2_relu', [16, 16, 128]],
      ['up3_relu', [32, 32, 64]],
      ['tanh', [64, 64, 3]],
    ])
    expect(g.layers.filter((l) => l.getClassName() === 'BatchNormalization')).toHaveLength(4)
    // PyTorch's DCGAN generator at nz = 100, ngf = 64 has 3,576,704 parameters; ours adds to_rgb's 3 biases.
    const trainable = g.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0)
    expect(trainable).toBe(3_576_704 + 3)
    g.dispose()
  })

  it('at 32 and 128 px has one fewer / one more upsampling', () => {
    for (const [size, widths] of [
      [32, [256, 128, 64]],
      [128, [1024, 512, 256, 128, 64]],
    ] as const) {
      const g = dcganGenerator({ size, z: 128, ngf: 64, ndf: 64, classes: 0 })
      expect(table(g, /_relu$/).map(([, shape]) => (shape as number[])[2])).toEqual(widths)
      expect(g.outputs[0]!.shape).toEqual([null, size, size, 3])
      g.dispose()
    }
  })

  it('takes a class label when conditional, and the label changes the image', () => {
    const g = dcganGenerator({ size: 32, z: 16, ngf: 8, ndf: 8, classes: 3 }, 1)
    expect(g.inputs.map((i) => i.shape)).toEqual([
      [null, 16],
      [null, 1],
    ])
    const z = tf.randomNormal([1, 16], 0, 1, 'float32', 3)
    const out = (label: number) => g.predict([z, tf.tensor2d([[label]], [1, 1], 'int32')]) as tf.Tensor
    // Small at initialisation (embeddings are N(0, 0.02)), but there.
    expect(tf.max(tf.abs(tf.sub(out(0), out(2)))).dataSync()[0]).toBeGreaterThan(1e-7)
    g.dispose()
  })

  it('is built identically from the same seed', () => {
    const [a, b, c] = [1, 1, 2].map((seed) => dcganGenerator({ size: 32, z: 8, ngf: 4, ndf: 4, classes: 0 }, seed))
    const first = (m: tf.LayersModel) => Array.from(m.getWeights()[0]!.dataSync())
    expect(first(a!)).toEqual(first(b!))
    expect(first(a!)).not.toEqual(first(c!))
  })
})

describe('DCGAN discriminator', () => {
  it('at 64 px: 32×32×64 (no norm) → 16×16×128 → 8×8×256 → 4×4×512 → one logit, LeakyReLU 0.2, no pooling', () => {
    const d = dcganDiscriminator({ size: 64, z: 100, ngf: 64, ndf: 64, classes: 0 }, { norm: 'batch', spectralNorm: false })
    expect(table(d, /_lrelu$/)).toEqual([
      ['down0_lrelu', [32, 32, 64]],
      ['down1_lrelu', [16, 16, 128]],
      ['down2_lrelu', [8, 8, 256]],
      ['down3_lrelu', [4, 4, 512]],
    ])
    expect(d.layers.some((l) => l.name === 'down0_norm')).toBe(false)
    expect(d.layers.filter((l) => l.getClassName() === 'BatchNormalization')).toHaveLength(3)
    expect(d.layers.some((l) => /Pool/.test(l.getClassName()))).toBe(false)
    expect(d.outputs[0]!.shape).toEqual([null, 1])
    d.dispose()
  })

  it("WGAN-GP's critic has no BatchNorm; the projection discriminator takes labels", () => {
    const d = dcganDiscriminator({ size: 32, z: 8, ngf: 8, ndf: 8, classes: 4 }, { norm: 'none', spectralNorm: false })
    expect(d.layers.some((l) => l.getClassName() === 'BatchNormalization')).toBe(false)
    expect(d.layers.map((l) => l.name)).toContain('projection')
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 5)
    const logits = (labels: number[]) => (d.predict([x, tf.tensor2d(labels, [2, 1], 'int32')]) as tf.Tensor).dataSync()
    expect(Array.from(logits([0, 0]))).not.toEqual(Array.from(logits([3, 3])))
    d.dispose()
  })

  it('names the first blocks for FreezeD', () => {
    const d = dcganDiscriminator({ size: 32, z: 8, ngf: 8, ndf: 8, classes: 0 }, { norm: 'batch', spectralNorm: false })
    const frozen = [...frozenDiscriminatorWeights(d, 2)]
    expect(frozen.length).toBeGreaterThan(0)
    expect(frozen.every((name) => /down[01]_/.test(name))).toBe(true)
    expect(frozen.some((name) => /down1_norm/.test(name))).toBe(true)
    expect(frozenDiscriminatorWeights(d, 0).size).toBe(0)
    d.dispose()
  })
})
