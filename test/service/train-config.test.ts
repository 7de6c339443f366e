import { describe, expect, it } from 'vitest'
import { runConfig } from '../../src/service/train-config'
import { TrainRequest } from '../../src/shared/training'
import { sampleManifest } from '../helpers/sample-manifest'

const request = TrainRequest.parse({
  options: { family: 'pix2pix', size: 32, steps: 40, ngf: 4, ndf: 4 },
  data: { dir: '/data/shapes' },
  out: '/home/models/shapes',
  from: '/home/models/base',
})
const manifest = {
  ...sampleManifest,
  training: { family: 'pix2pix', size: 256, steps: 2000, ganvasVersion: '0.1.0', from: '/home/models/edges' },
  dataset: { kind: 'paired', root: '/data/edges', pairs: 400 },
}

describe('train.config', () => {
  it('answers with the running request, before and after the first checkpoint', () => {
    for (const m of [null, manifest]) {
      const config = runConfig(request, m, true)
      expect(config.options).toMatchObject({ family: 'pix2pix', size: 32, steps: 40, ngf: 4 })
      expect(config).toMatchObject({ data: { dir: '/data/shapes' }, from: 'base' })
    }
  })

  it('answers with the manifest once the run is over, and with the request when there is no manifest', () => {
    expect(runConfig(request, manifest, false)).toEqual({
      options: { family: 'pix2pix', size: 256, steps: 2000, ganvasVersion: '0.1.0' },
      data: { dir: '/data/edges' },
      from: 'edges',
    })
    expect(runConfig(request, null, false).options).toMatchObject({ steps: 40 })
    expect(runConfig(undefined, { ...manifest, dataset: { kind: 'unpaired', dirA: '/a', dirB: '/b' } }, false).data).toEqual({ dirA: '/a', dirB: '/b' })
    expect(runConfig(undefined, null, false)).toEqual({ options: null, data: null, from: null })
  })
})
