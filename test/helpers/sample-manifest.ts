import type { ModelManifest } from '../../src/shared/schemas'

/** A valid manifest for fixtures that need a model folder in the library. */
export const sampleManifest: ModelManifest = {
  format: 'ganvas-model',
  formatVersion: 1,
  name: 'Edges to shoes',
  family: 'pix2pix',
  resolution: 256,
  channels: 3,
  training: { ngf: 64 },
  stepsDone: 1200,
  weights: 'checkpoints/step-000100',
  dataset: { pairs: 400 },
  metrics: { heldOutL1: 0.12 },
  created: '2026-11-01T10:00:00.000Z',
}
