/**
 * DCGAN on the cartoon-face set (test/helpers/cartoon-faces.ts), longer than the quality test
 * (test/engine/dcgan-quality.test.ts, same settings but 200 steps) can afford: trains on wasm, then prints, for the trained and the untrained generator, how many of the
 * 12 factor combinations the samples cover, the largest share, how face-like they are and how near
 * the training images.
 *
 *   npx tsx bench/dcgan-faces.ts                       # the defaults below
 *   FACES_OPTS='{"steps":1500,"loss":"hinge"}' FACES_COUNT=480 FACES_SAMPLES=256 npx tsx bench/dcgan-faces.ts
 *
 * FACES_OPTS is merged into the DCGAN options; FACES_KEEP=1 keeps the temp folder (samples sheet at
 * <dir>/samples.png).
 */
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { latentFromSeed } from '../src/engine/latent/latent'
import { loadNetwork, readManifest } from '../src/engine/storage/model-folder'
import { DcganTrainer } from '../src/engine/training/dcgan'
import { runTraining } from '../src/engine/training/run'
import { DcganOptions, TrainRequest } from '../src/shared/training'
import { COMBOS, comboName, faceSetFigures, nearestRms, quantile, writeCartoonFaces, type FaceSetFigures } from '../test/helpers/cartoon-faces'
import { writePng } from '../test/helpers/synthetic-images'
import { recordingHooks, tempDir, useWasm } from '../test/helpers/train-harness'

const SIZE = 32
const env = process.env
const count = Number(env.FACES_COUNT ?? 480)
const sampleCount = Number(env.FACES_SAMPLES ?? 256)
const extra = JSON.parse(env.FACES_OPTS ?? '{}') as Record<string, unknown>
const options = {
  family: 'dcgan',
  size: SIZE,
  steps: 1000,
  batch: 16,
  ngf: 16,
  ndf: 16,
  z: 64,
  loss: 'hinge',
  lr: 2e-3,
  ema: 0.99,
  seed: 0,
  sampleEvery: 100_000,
  ...extra,
  // Figures at every checkpoint, not only at the end.
  checkpointEvery: Number(env.FACES_EVAL_EVERY ?? 200),
}

/** Samples from seeds 1000, 1001, … as RGB bytes. */
function sample(generator: tf.LayersModel, z: number, n: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let start = 0; start < n; start += 64) {
    const seeds = Array.from({ length: Math.min(64, n - start) }, (_, i) => 1000 + start + i)
    const latents = tf.tensor2d(Float32Array.from(seeds.flatMap((s) => Array.from(latentFromSeed(s, z)))), [seeds.length, z])
    const images = tf.tidy(() => generator.apply(latents, { training: false }) as tf.Tensor4D)
    const values = images.dataSync()
    tf.dispose([latents, images])
    const each = SIZE * SIZE * 3
    for (let i = 0; i < seeds.length; i++) out.push(Uint8Array.from(values.subarray(i * each, (i + 1) * each), (v) => Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5)))
  }
  return out
}

/** Up to 64 images in an 8-wide sheet, 3× nearest-neighbour. */
async function sheet(path: string, images: Uint8Array[]) {
  const [cols, scale] = [8, 3]
  const shown = images.slice(0, 64)
  const rows = Math.ceil(shown.length / cols)
  const [w, h] = [cols * SIZE * scale, rows * SIZE * scale]
  const out = new Uint8Array(w * h * 3)
  shown.forEach((img, k) => {
    const [ox, oy] = [(k % cols) * SIZE * scale, Math.floor(k / cols) * SIZE * scale]
    for (let y = 0; y < SIZE * scale; y++)
      for (let x = 0; x < SIZE * scale; x++)
        for (let c = 0; c < 3; c++) out[((oy + y) * w + ox + x) * 3 + c] = img[(Math.floor(y / scale) * SIZE + Math.floor(x / scale)) * 3 + c]!
  })
  await writePng(path, out, w, h)
}

const show = (name: string, f: FaceSetFigures) =>
  console.log(
    `${name.padEnd(10)} covered ${f.covered}/12 · max share ${(100 * f.maxShare).toFixed(1)}% · clear ${(100 * f.clear).toFixed(1)}% · ` +
      `rms to nearest clean face median ${f.rmsMedian.toFixed(1)} p90 ${f.rmsP90.toFixed(1)} · ` +
      `confidence skin ${f.confidence.skin.toFixed(2)} eyes ${f.confidence.eyes.toFixed(2)} mouth ${f.confidence.mouth.toFixed(2)} · ` +
      `nearest training image min ${f.nearestTrainMin.toFixed(1)} median ${f.nearestTrainMedian.toFixed(1)} · copies ${(100 * f.copies).toFixed(1)}%\n` +
      `           counts ${COMBOS.map((c, i) => `${comboName(c)} ${f.counts[i]}`).join(', ')}`,
  )

await useWasm()
const root = await tempDir('ganvas-dcgan-faces-')
try {
  const data = join(root.dir, 'faces')
  const out = join(root.dir, 'model')
  const specs = await writeCartoonFaces(data, { count, size: SIZE, seed: 1 })
  const training = specs.map((s) => s.image)
  const trainNearest = nearestRms(training, training)
  const thresholds = { faceRms: Number(env.FACES_FACE_RMS ?? 32), confidence: Number(env.FACES_CONFIDENCE ?? 0.3), copyRms: quantile(trainNearest, 0.1) }
  console.log(
    `training set: ${count} faces; nearest other training image RMS min ${Math.min(...trainNearest).toFixed(1)} ` +
      `p10 ${thresholds.copyRms.toFixed(1)} median ${quantile(trainNearest, 0.5).toFixed(1)}; options ${JSON.stringify(options)}`,
  )
  const request = TrainRequest.parse({ options, data: { dir: data }, out })
  const hooks = recordingHooks()
  const z = (request.options as DcganOptions).z
  const started = performance.now()
  let lastStep = 0
  const figuresAt = async (step: number) => {
    const manifest = await readManifest(out)
    const generator = await loadNetwork(out, manifest, 'generator')
    const samples = sample(generator, z, sampleCount)
    generator.dispose()
    show(`step ${step}`, faceSetFigures(samples, training, SIZE, thresholds))
    return samples
  }
  let evalSeconds = 0
  await runTraining(request, {
    ...hooks,
    progress(p) {
      hooks.progress(p)
      if (p.step > 0 && Object.keys(p.metrics).length) lastStep = p.step
    },
    async yield() {
      if (lastStep % request.options.checkpointEvery !== 0 || lastStep >= request.options.steps) return
      const t0 = performance.now()
      console.log(`step ${lastStep}: ${((t0 - started) / 1000 - evalSeconds).toFixed(1)} s training; losses ${JSON.stringify(hooks.steps.at(-1)?.metrics)}`)
      await figuresAt(lastStep)
      evalSeconds += (performance.now() - t0) / 1000
    },
  })
  const trainingSeconds = (performance.now() - started) / 1000 - evalSeconds
  console.log(`trained ${request.options.steps} steps in ${trainingSeconds.toFixed(1)} s (without the figures); last losses ${JSON.stringify(hooks.steps.at(-1)?.metrics)}`)
  const trained = await figuresAt(request.options.steps)
  const fresh = new DcganTrainer(DcganOptions.parse(request.options))
  show('untrained', faceSetFigures(sample(fresh.networks.generator, z, sampleCount), training, SIZE, thresholds))
  fresh.dispose()
  if (env.FACES_KEEP) {
    await sheet(join(root.dir, 'samples.png'), trained)
    console.log(`kept ${root.dir}`)
  }
} finally {
  if (!env.FACES_KEEP) await root.cleanup()
}
