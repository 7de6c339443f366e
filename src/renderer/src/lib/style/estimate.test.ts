import { describe, expect, it } from 'vitest'
import { cycleganStepFlops, estimateRun, patchGanMacs, remaining, resnetMacs, roughDuration } from './estimate'
import { defaultStyleForm } from './train-form'

describe('network costs', () => {
  it('counts resnet_9blocks at 256 px as the published ~50 G multiply-adds', () => {
    // Matches what profilers report for the CycleGAN generator (≈ 56.8 GMACs incl. norms and pads).
    expect(resnetMacs(256, 64, 9) / 1e9).toBeCloseTo(49.5, 0)
  })

  it('scales with pixels and with the square of the width', () => {
    expect(resnetMacs(128, 64, 9) * 4).toBeCloseTo(resnetMacs(256, 64, 9))
    // Quadratic in the width except the 3-channel stem and head, which are linear.
    const ratio = resnetMacs(128, 64, 6) / resnetMacs(128, 32, 6)
    expect(ratio).toBeGreaterThan(3.8)
    expect(ratio).toBeLessThan(4)
  })

  it('counts the 70×70 PatchGAN at 256 px (~3.1 G multiply-adds)', () => {
    expect(patchGanMacs(256, 64) / 1e9).toBeCloseTo(3.1, 1)
  })

  it('drops the identity passes when the identity weight is 0', () => {
    const withIdentity = cycleganStepFlops({ ...defaultStyleForm })
    const without = cycleganStepFlops({ ...defaultStyleForm, lambdaIdentity: 0 })
    expect(without).toBeLessThan(withIdentity)
    expect(cycleganStepFlops({ ...defaultStyleForm, batch: 2 })).toBeCloseTo(2 * withIdentity)
  })
})

describe('estimateRun', () => {
  it('puts the default run at hours on a CPU and minutes on a GPU', () => {
    const cpu = estimateRun({ ...defaultStyleForm }, { backend: 'tensorflow', backendPackage: '@tensorflow/tfjs-node' })
    expect(cpu.secondsPerStep).toBeGreaterThan(5)
    expect(cpu.secondsPerStep).toBeLessThan(30)
    expect(roughDuration(cpu.totalSeconds)).toMatch(/hours/)
    const gpu = estimateRun({ ...defaultStyleForm }, { backend: 'tensorflow', backendPackage: '@tensorflow/tfjs-node-gpu' })
    expect(roughDuration(gpu.totalSeconds)).toMatch(/min/)
    expect(gpu.on).toBe('a GPU')
  })

  it('matches what WebAssembly was measured to take on the build machine, within a factor of two', () => {
    const wasm = { backend: 'wasm' as const, backendPackage: '@tensorflow/tfjs-backend-wasm' }
    const measured: Array<[Partial<typeof defaultStyleForm>, number]> = [
      [{ size: 32, ngf: 4, ndf: 4, blocks: 1 }, 1.2],
      [{ size: 64, ngf: 16, ndf: 16, blocks: 6 }, 6.7],
      [{ size: 128, ngf: 16, ndf: 16, blocks: 6 }, 20],
    ]
    for (const [settings, seconds] of measured) {
      const { secondsPerStep } = estimateRun({ ...defaultStyleForm, ...settings }, wasm)
      expect(secondsPerStep / seconds, JSON.stringify(settings)).toBeGreaterThan(0.5)
      expect(secondsPerStep / seconds, JSON.stringify(settings)).toBeLessThan(2)
    }
  })
})

describe('durations in words', () => {
  it('rounds to one unit', () => {
    expect(roughDuration(0.2)).toBe('under a second')
    expect(roughDuration(42)).toBe('about 42 s')
    expect(roughDuration(600)).toBe('about 10 min')
    expect(roughDuration(6 * 3600)).toBe('about 6 hours')
    expect(roughDuration(3 * 86_400)).toBe('about 3 days')
    expect(roughDuration(Number.NaN)).toBe('unknown')
  })

  it('says how long is left', () => {
    expect(remaining(42.4)).toBe('42 s left')
    expect(remaining(65)).toBe('1 min 05 s left')
    expect(remaining(3 * 3600 + 120)).toBe('3 h 02 min left')
    expect(remaining(Number.POSITIVE_INFINITY)).toBe('')
  })
})
