import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { countTrainableParams } from './params'
import { patchGanDiscriminator } from './patchgan'
import { resnetGenerator } from './resnet'
import { unetGenerator } from './unet'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const rgb = { inputChannels: 3, outputChannels: 3 }

describe('published architectures', () => {
  it('unet_256 at ngf 64 has the published 54,413,955 parameters', () => {
    const model = unetGenerator({ levels: 8, ngf: 64, size: 256, ...rgb })
    expect(countTrainableParams(model)).toBe(54_413_955)
    model.dispose()
  })

  it('resnet_9blocks at ngf 64 has the published 11,378,179 parameters', () => {
    const model = resnetGenerator({ blocks: 9, ngf: 64, size: 256, ...rgb })
    expect(countTrainableParams(model)).toBe(11_378_179)
    model.dispose()
  })

  it('the 70×70 PatchGAN on a 256 pair has 2,768,705 parameters and a 30×30 output', () => {
    const model = patchGanDiscriminator({ inputChannels: 6, ndf: 64, size: 256 })
    // 4·4·6·64+64 + 4·4·64·128+2·128 + 4·4·128·256+2·256 + 4·4·256·512+2·512 + 4·4·512+1
    // (the reference prints "2.769 M" for netD).
    expect(countTrainableParams(model)).toBe(2_768_705)
    expect(model.outputs[0]!.shape).toEqual([null, 30, 30, 1])
    model.dispose()
  })

  it('generators map an image to an image of the same size in [-1, 1]', () => {
    for (const model of [
      unetGenerator({ levels: 7, ngf: 8, size: 128, ...rgb }),
      resnetGenerator({ blocks: 6, ngf: 8, size: 64, ...rgb }),
    ]) {
      const out = tf.tidy(() => model.predict(tf.randomNormal([2, model.inputs[0]!.shape[1]!, model.inputs[0]!.shape[1]!, 3], 0, 1, 'float32', 1)) as tf.Tensor)
      expect(out.shape.slice(1)).toEqual(model.inputs[0]!.shape.slice(1))
      const [min, max] = [out.min().dataSync()[0]!, out.max().dataSync()[0]!]
      expect(min).toBeGreaterThanOrEqual(-1)
      expect(max).toBeLessThanOrEqual(1)
      expect(max - min).toBeGreaterThan(0)
      out.dispose()
      model.dispose()
    }
  })
})
