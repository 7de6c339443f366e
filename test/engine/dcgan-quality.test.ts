/**
 * DCGAN learns a distribution, not one face and not its training images: a whole run through
 * runTraining on synthetic cartoon faces (test/helpers/cartoon-faces.ts: skin 3 × eyes 2 × mouth 2 =
 * 12 combinations, plus a shift of up to 1 px and a background shade) at 32 px on wasm, then
 * SAMPLES samples from fixed seeds of the saved (EMA) generator, read by the faces' own classifier:
 *
 *   (a) coverage: the clear faces among the samples show at least MIN_COVERED of the 12
 *       combinations, and no combination has MAX_SHARE of them or more;
 *   (b) not copies: fewer than MAX_COPIES of the samples are nearer a training image than the 10th
 *       percentile of the training images' distances to their nearest other training image (fresh
 *       renderings of the set itself, an ideal generator, have ~11% that near; a memoriser 100%);
 *   (c) faces, not noise: at least MIN_CLEAR of the samples are clear faces (within FACE_RMS of a
 *       clean face, and each factor read with confidence ≥ CONFIDENCE).
 *
 * The untrained generator (the run's own initial weights) fails (a) and (c); a memoriser fails (b);
 * the ideal generator passes all three.
 *
 * Measured here (2 shared cores, wasm, the configuration below, 256 samples):
 *   trained:   12/12 combinations, max share 17.4%, clear 42.6%, rms to a clean face median 26.0,
 *              nearest training image median 26.3 (min 19.9) vs copy distance 3.9 → copies 0%
 *   untrained: 0/12, clear 0% (it draws a flat grey: rms 41.3 to every clean face)
 *   seeds 1 and 2 (bench/dcgan-faces.ts): 12/12, max share 15.8% / 15.4%, clear 44.5% / 40.6%, copies 0%
 *   at 100 steps those runs have 2–3 clear faces in 256: the learning happens between 100 and 200;
 *   1,000 steps (bench): 12/12, max share 12.4%, clear 62.9%, nearest training image median 24.5.
 * Training takes 40–45 s of the file's ~57 s when the machine is otherwise idle (up to twice that under load).
 * The loss matters little here: BCE at 200 steps gives 12/12, max share 18.9%, clear 41.4%. EMA
 * helps a little this early: without it (the live generator) 12/12, max share 11.8%, clear 33.2%.
 */
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latentFromSeed } from '../../src/engine/latent/latent'
import { Random } from '../../src/engine/random'
import { loadNetwork, readManifest } from '../../src/engine/storage/model-folder'
import { DcganTrainer } from '../../src/engine/training/dcgan'
import { runTraining } from '../../src/engine/training/run'
import { DcganOptions, TrainRequest } from '../../src/shared/training'
import {
  cartoonFaceSpecs,
  classifyFace,
  COMBOS,
  comboIndex,
  comboName,
  faceSetFigures,
  isClearFace,
  nearestRms,
  quantile,
  writeCartoonFaces,
  type FaceSetFigures,
  type FaceThresholds,
} from '../helpers/cartoon-faces'
import { recordingHooks, tempDir, useWasm } from '../helpers/train-harness'

const SIZE = 32
const TRAIN_FACES = 480
const SAMPLES = 256
const OPTIONS = {
  family: 'dcgan',
  size: SIZE,
  steps: 200,
  batch: 16,
  ngf: 16,
  ndf: 16,
  z: 64,
  loss: 'hinge',
  lr: 2e-3, // 10× the published rate: a few hundred steps instead of thousands
  ema: 0.99,
  seed: 0,
  sampleEvery: 100,
  checkpointEvery: 1000,
  backend: 'wasm',
} as const

// Thresholds, from the measurements in the header.
const MIN_COVERED = 10
const MAX_SHARE = 0.3
const MAX_COPIES = 0.25
const MIN_CLEAR = 0.2
/** A clear face: within this RMS (byte units) of a clean face, each factor read with this confidence. */
const FACE_RMS = 32
const CONFIDENCE = 0.3

const toBytes = (values: Float32Array) => Uint8Array.from(values, (v) => Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5))

/** `n` samples from seeds 1000, 1001, … (inference mode) as RGB bytes. */
function sample(generator: tf.LayersModel, z: number, n: number): Uint8Array[] {
  const latents = tf.tensor2d(Float32Array.from(Array.from({ length: n }, (_, i) => Array.from(latentFromSeed(1000 + i, z))).flat()), [n, z])
  const images = tf.tidy(() => generator.apply(latents, { training: false }) as tf.Tensor4D)
  const values = images.dataSync() as Float32Array
  tf.dispose([latents, images])
  const each = SIZE * SIZE * 3
  return Array.from({ length: n }, (_, i) => toBytes(values.subarray(i * each, (i + 1) * each)))
}

const describeFigures = (f: FaceSetFigures) =>
  `covered ${f.covered}/12, max share ${(100 * f.maxShare).toFixed(1)}%, clear ${(100 * f.clear).toFixed(1)}%, ` +
  `rms to a clean face median ${f.rmsMedian.toFixed(1)} p90 ${f.rmsP90.toFixed(1)}, ` +
  `confidence skin ${f.confidence.skin.toFixed(2)} eyes ${f.confidence.eyes.toFixed(2)} mouth ${f.confidence.mouth.toFixed(2)}, ` +
  `nearest training image min ${f.nearestTrainMin.toFixed(1)} median ${f.nearestTrainMedian.toFixed(1)}, copies ${(100 * f.copies).toFixed(1)}%`

const passes = (f: FaceSetFigures) => ({
  coverage: f.covered >= MIN_COVERED && f.maxShare < MAX_SHARE,
  notCopies: f.copies < MAX_COPIES,
  faces: f.clear >= MIN_CLEAR,
})

describe('cartoon faces and their classifier', () => {
  const held = cartoonFaceSpecs({ count: 240, size: SIZE, seed: 99 })

  it('renders distinct images and reads the factors of held-out faces back', () => {
    const training = cartoonFaceSpecs({ count: TRAIN_FACES, size: SIZE, seed: 1 })
    expect(new Set(training.map((s) => Buffer.from(s.image).toString('base64'))).size).toBe(TRAIN_FACES)
    expect(COMBOS.map(comboName)).toHaveLength(12)
    const right = held.filter((s) => classifyFace(s.image, SIZE).combo === comboIndex(s.factors)).length
    expect(right / held.length).toBeGreaterThanOrEqual(0.95)
  })

  it('still reads them blurred and noisy (as a generator draws them)', () => {
    const random = new Random(5)
    const blurNoise = (x: Uint8Array) => {
      const out = new Uint8Array(x.length)
      for (let y = 0; y < SIZE; y++)
        for (let xx = 0; xx < SIZE; xx++)
          for (let c = 0; c < 3; c++) {
            let [sum, n] = [0, 0]
            for (let dy = -1; dy <= 1; dy++)
              for (let dx = -1; dx <= 1; dx++) {
                const [yy, x2] = [y + dy, xx + dx]
                if (yy >= 0 && yy < SIZE && x2 >= 0 && x2 < SIZE) [sum, n] = [sum + x[(yy * SIZE + x2) * 3 + c]!, n + 1]
              }
            out[(y * SIZE + xx) * 3 + c] = Math.max(0, Math.min(255, Math.round(sum / n + 20 * random.normal())))
          }
      return out
    }
    const readings = held.map((s) => ({ s, r: classifyFace(blurNoise(s.image), SIZE) }))
    expect(readings.filter(({ s, r }) => r.combo === comboIndex(s.factors)).length / held.length).toBeGreaterThanOrEqual(0.95)
    // Blurred and noisy faces are still clear faces; a uniform grey image is not.
    const clear = { faceRms: FACE_RMS, confidence: CONFIDENCE, copyRms: 0 }
    expect(readings.filter(({ r }) => isClearFace(r, clear)).length / held.length).toBeGreaterThanOrEqual(0.95)
    const grey = classifyFace(new Uint8Array(SIZE * SIZE * 3).fill(128), SIZE)
    expect(grey.rms).toBeGreaterThan(FACE_RMS)
    expect(Math.max(grey.confidence.eyes, grey.confidence.mouth)).toBeLessThan(CONFIDENCE)
  })
})

describe(`DCGAN ${SIZE} px, ngf ${OPTIONS.ngf} ndf ${OPTIONS.ndf}, batch ${OPTIONS.batch}, ${OPTIONS.loss}, ${OPTIONS.steps} steps on ${TRAIN_FACES} cartoon faces (wasm)`, () => {
  let root: { dir: string; cleanup(): Promise<void> }
  let thresholds: FaceThresholds
  let training: Uint8Array[]
  let trained: FaceSetFigures
  let untrained: FaceSetFigures
  let seconds: number

  beforeAll(async () => {
    await useWasm()
    root = await tempDir('ganvas-dcgan-quality-')
    const data = join(root.dir, 'faces')
    const out = join(root.dir, 'faces-model')
    training = (await writeCartoonFaces(data, { count: TRAIN_FACES, size: SIZE, seed: 1 })).map((s) => s.image)
    thresholds = { faceRms: FACE_RMS, confidence: CONFIDENCE, copyRms: quantile(nearestRms(training, training), 0.1) }
    const request = TrainRequest.parse({ options: OPTIONS, data: { dir: data }, out })
    const started = performance.now()
    await runTraining(request, recordingHooks())
    seconds = (performance.now() - started) / 1000

    const manifest = await readManifest(out)
    const generator = await loadNetwork(out, manifest, 'generator')
    // The untrained generator is the run's own starting point: same architecture, same initial draws.
    const fresh = new DcganTrainer(DcganOptions.parse(request.options))
    const samples = { trained: sample(generator, OPTIONS.z, SAMPLES), untrained: sample(fresh.networks.generator, OPTIONS.z, SAMPLES) }
    generator.dispose()
    fresh.dispose()
    trained = faceSetFigures(samples.trained, training, SIZE, thresholds)
    untrained = faceSetFigures(samples.untrained, training, SIZE, thresholds)
    console.log(
      `dcgan ${SIZE}px ngf ${OPTIONS.ngf} ndf ${OPTIONS.ndf} batch ${OPTIONS.batch} ${OPTIONS.loss} ${OPTIONS.steps} steps: ${seconds.toFixed(1)} s; copy distance ${thresholds.copyRms.toFixed(1)}\n` +
        `  trained:   ${describeFigures(trained)}\n` +
        `             ${COMBOS.map((c, i) => `${comboName(c)} ${trained.counts[i]}`).join(', ')}\n` +
        `  untrained: ${describeFigures(untrained)}`,
    )
  }, 240_000)
  afterAll(() => root?.cleanup())

  it('(a) covers the combinations evenly', () => {
    expect(trained.covered).toBeGreaterThanOrEqual(MIN_COVERED)
    expect(trained.maxShare).toBeLessThan(MAX_SHARE)
  })

  it('(b) does not return its training images', () => {
    expect(trained.copies).toBeLessThan(MAX_COPIES)
  })

  it('(c) draws faces, not noise', () => {
    expect(trained.clear).toBeGreaterThanOrEqual(MIN_CLEAR)
  })

  it('the measurements can fail: the untrained generator, a memoriser; an ideal generator passes', () => {
    expect(passes(untrained)).toMatchObject({ coverage: false, faces: false })
    // A memoriser: training images, a little noise added.
    const random = new Random(11)
    const memorised = training.slice(0, 128).map((x) => x.map((v) => Math.max(0, Math.min(255, Math.round(v + 2 * random.normal())))))
    const memoriser = faceSetFigures(memorised, training, SIZE, thresholds)
    // Fresh renderings from the same distribution, none of them a training image.
    const ideal = faceSetFigures(cartoonFaceSpecs({ count: 128, size: SIZE, seed: 2 }).map((s) => s.image), training, SIZE, thresholds)
    console.log(`  memoriser: ${describeFigures(memoriser)}\n  ideal:     ${describeFigures(ideal)}`)
    expect(passes(memoriser)).toMatchObject({ notCopies: false })
    expect(passes(ideal)).toEqual({ coverage: true, notCopies: true, faces: true })
  })
})
