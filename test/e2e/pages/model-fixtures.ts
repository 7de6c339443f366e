/** A model library with one valid model and one broken folder, for the Models view. */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ModelManifest } from '../../../src/shared/schemas'

export const fakeModel = {
  folder: 'watercolour-pix2pix',
  manifest: {
    format: 'ganvas-model',
    formatVersion: 1,
    name: 'Watercolour streets',
    family: 'pix2pix',
    resolution: 256,
    channels: 3,
    training: { lr: 2e-4, beta1: 0.5, lambdaL1: 100 },
    stepsDone: 12_000,
    weights: 'checkpoints/step-000100',
    dataset: { pairs: 400 },
    metrics: { lossG: 3.21, lossD: 0.48 },
    created: '2025-03-14T09:26:53.000Z',
  } satisfies ModelManifest,
}

export const brokenModel = { folder: 'half-copied-model', expectedProblem: 'manifest.json is missing' }

export async function writeModelLibrary(home: string): Promise<void> {
  const good = join(home, 'models', fakeModel.folder)
  await mkdir(good, { recursive: true })
  await writeFile(join(good, 'manifest.json'), JSON.stringify(fakeModel.manifest, null, 2))
  const broken = join(home, 'models', brokenModel.folder)
  await mkdir(broken, { recursive: true })
  await writeFile(join(broken, 'weights.bin'), Buffer.alloc(16))
}
