/**
 * Mode coverage of the face generator's losses on the classic 2-D benchmarks (8 Gaussians on a
 * ring, 25 on a grid): trains each loss on each mixture with src/engine/toy and prints a markdown
 * table; the figures also go to bench/mode-coverage.json (a --quick run: mode-coverage-quick.json).
 *
 *   npx tsx bench/mode-coverage.ts [--quick] [--loss hinge] [--mixture ring]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import * as tf from '@tensorflow/tfjs'
import { selectBackend } from '../src/engine/backend/select'
import { mixtures, type MixtureName } from '../src/engine/toy/mixtures'
import { trainToyGan, type ToyGanOptions, type ToySettings } from '../src/engine/toy/toy-gan'
import type { DcganLoss } from '../src/shared/training'

type Run = Omit<ToyGanOptions, 'mixture' | 'loss' | 'seed' | 'onProgress' | 'signal'>

/**
 * Per loss, what the toy needs beyond the published face settings (src/shared/training.ts), found
 * by short trials on a 2-core CPU (seed 1, one run each):
 *  - a higher learning rate (the published 1e-4/2e-4 need tens of thousands of steps here), decaying
 *    linearly to 0 over the second half: the samples settle into the modes only once it decays;
 *  - WGAN-GP: λ = 0.1, as in Gulrajani et al.'s own toy code (gan_toy.py: "smaller lambda seems to
 *    help for toy tasks"); with λ = 10 the critic chased G round the ring and no mode formed.
 *  - sampling from an EMA of G's weights (as the face generator does) for hinge on the grid (decay
 *    0.999 over 20k steps) and WGAN-GP on the ring (0.99); the table gives G's own figures beside.
 *    With 0.999 the WGAN-GP average lagged ~1k steps behind G (ring: 6/8, 21.6% after 3k steps).
 *  - WGAN-GP: 10k steps on the ring (a 4k-step run ended at 83.8%; the 10k one passed 85.0% at 4k,
 *    87.3% at 5k, 91.0% at 7k and ended at 93.0%). On the grid lr 1e-3 with EMA 0.99 over 40k steps:
 *    25/25 from 10k on, 82.4% at 14k, 88.4% at 20k, 90.2% at 22k as the decay began. Shorter runs
 *    fell short of 90%: 20k steps (decay from 10k) ended at 86.4%, 6k without EMA at 16/25, 35.2%;
 *    lr 5e-4 with EMA 0.99 had 5/25, 14.8% after 4k of 20k steps, lr 1e-3 with EMA 0.999 0/25 (the
 *    average far behind G). Not helped, or not shown to help: lr 2e-3 with β₁ 0.5 on the grid (with
 *    drift ε 1e-3 and EMA 0.999: 0/25 after 3k steps), so the drift term (driftWeight) stays off.
 * β and n_critic stay the published ones. Widths and batches are small because this CPU is slow: at
 * width 128 and batch 256 a step costs ~6× (hinge) to ~7× (WGAN-GP) the width-64, batch-64 one.
 */
const toyLoss: Record<DcganLoss, Omit<Run, 'steps'>> = {
  bce: { batch: 64, width: 64, lr: 2e-3, decayFrom: 0.5 },
  hinge: { batch: 64, width: 64, lr: 2e-3, decayFrom: 0.5 },
  'wgan-gp': { batch: 64, width: 64, lr: 5e-4, gpWeight: 0.1, decayFrom: 0.5 },
}

/** Per loss and mixture, what differs from `toyLoss`. */
const perMixture: Partial<Record<DcganLoss, Partial<Record<MixtureName, Omit<Run, 'steps'>>>>> = {
  hinge: { grid: { emaDecay: 0.999 } },
  'wgan-gp': { ring: { emaDecay: 0.99 }, grid: { lr: 1e-3, emaDecay: 0.99 } },
}

/**
 * Generator steps: a WGAN-GP step costs about five of the others here (5 critic updates, each with
 * a double backward pass). Hinge on the grid needs 20k: after 10k it had 24/25 modes, 84.9%, and
 * the share was still rising.
 */
const steps: Record<DcganLoss, Record<MixtureName, number>> = {
  bce: { ring: 4000, grid: 10_000 },
  hinge: { ring: 4000, grid: 20_000 },
  'wgan-gp': { ring: 10_000, grid: 40_000 },
}

const full = (loss: DcganLoss, mixture: MixtureName): Run => ({ ...toyLoss[loss], ...perMixture[loss]?.[mixture], steps: steps[loss][mixture] })

/** A smoke run of the same table: a tenth of the steps. */
const quick = (run: Run): Run => ({ ...run, steps: Math.round(run.steps / 10) })

/**
 * A run of some rows (--loss, --mixture) replaces those rows in the saved report and keeps the
 * others; a --quick run starts its own report.
 */
function mergedRows(fresh: Row[]): Row[] {
  if (flags.quick || !existsSync(reportFile)) return fresh
  const key = (r: Row) => `${r.settings.loss}/${r.settings.mixture}`
  const saved = (JSON.parse(readFileSync(reportFile, 'utf8')) as { rows?: Row[] }).rows ?? []
  const replaced = new Map(fresh.map((r) => [key(r), r]))
  const kept = saved.map((r) => replaced.get(key(r)) ?? r)
  return [...kept, ...fresh.filter((r) => !saved.some((s) => key(s) === key(r)))]
}

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    loss: { type: 'string', multiple: true },
    mixture: { type: 'string', multiple: true },
    seed: { type: 'string', default: '1' },
  },
})
const reportFile = new URL(flags.quick ? './mode-coverage-quick.json' : './mode-coverage.json', import.meta.url)

const losses = (flags.loss ?? Object.keys(toyLoss)) as DcganLoss[]
const mixtureNames = (flags.mixture ?? Object.keys(mixtures)) as MixtureName[]
for (const loss of losses) if (!(loss in toyLoss)) throw new Error(`unknown loss "${loss}" (bce, wgan-gp, hinge)`)
for (const name of mixtureNames) if (!(name in mixtures)) throw new Error(`unknown mixture "${name}" (ring, grid)`)

// Tiny MLPs: the hand-off to a second wasm thread costs more than it saves (see bench/README.md).
process.env.GANVAS_WASM_THREADS ??= '1'
const engine = await selectBackend('auto')
console.error(`backend: ${engine.backendPackage} on ${engine.device}`)

interface Row {
  settings: ToySettings
  modesCaptured: number
  totalModes: number
  highQualityShare: number
  /** With an EMA: the figures of G's own last weights (the measured generator is the EMA one). */
  withoutEma?: { modesCaptured: number; highQualityShare: number }
  seconds: number
  /** Coverage along the way: [step, modes captured, high-quality share]. */
  history: [number, number, number][]
}

const rows: Row[] = []
for (const loss of losses) {
  for (const name of mixtureNames) {
    const run = flags.quick ? quick(full(loss, name)) : full(loss, name)
    const history: Row['history'] = []
    const result = trainToyGan({
      ...run,
      mixture: mixtures[name],
      loss,
      seed: Number(flags.seed),
      progressEvery: Math.max(1, Math.round(run.steps / 10)),
      onProgress: (step, terms, measure) => {
        const c = measure()
        history.push([step, c.modesCaptured, c.highQualityShare])
        const termText = Object.entries(terms).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')
        console.error(`${loss} ${name} step ${step}: ${c.modesCaptured}/${c.totalModes} modes, ${pct(c.highQualityShare)} high quality (${termText})`)
      },
    })
    const raw = result.coverageWithoutEma
    const withoutEma = raw && { modesCaptured: raw.modesCaptured, highQualityShare: raw.highQualityShare }
    rows.push({ settings: result.settings, ...result.coverage, ...(withoutEma && { withoutEma }), seconds: result.seconds, history })
  }
}

function pct(share: number): string {
  return `${(100 * share).toFixed(1)}%`
}

const table = [
  '| loss | mixture | modes captured | high-quality samples | generator (without EMA) | steps (G) | n_critic | width × depth | batch | lr, β₁, β₂ | λ | seconds |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map(({ settings: s, ...r }) =>
    [s.loss, s.mixture, `${r.modesCaptured}/${r.totalModes}`, pct(r.highQualityShare), r.withoutEma ? `EMA ${s.emaDecay} (G: ${r.withoutEma.modesCaptured}/${r.totalModes}, ${pct(r.withoutEma.highQualityShare)})` : 'G', s.steps, s.nCritic, `${s.width} × ${s.depth}`, s.batch, `${s.lr}, ${s.beta1}, ${s.beta2}`, s.loss === 'wgan-gp' ? s.gpWeight : '–', r.seconds.toFixed(0)].join(' | '),
  ).map((line) => `| ${line} |`),
]
console.log(table.join('\n'))

const report = {
  date: new Date().toISOString(),
  quick: flags.quick,
  backend: engine.backendPackage,
  device: engine.device,
  tfjs: tf.version.tfjs,
  definitions: 'a mode is captured when ≥ 1% of the samples lie within 3σ of it; high quality: within 3σ of some mode',
  rows: mergedRows(rows),
}
writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`)
