/**
 * A few hundred malformed contract messages, deterministic (seeded), for fuzzing both transports.
 * Each is something a buggy or hostile renderer could send.
 */
import { Random } from '../../src/engine/random'
import { methodNames } from '../../src/shared/contract'

export function malformedMessages(count = 300, seed = 7): unknown[] {
  const rng = new Random(seed)
  const random = () => rng.next()
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const junkValues: unknown[] = [null, true, -1, 1.5, 'x', '', [], [1, 2], {}, { a: { b: { c: [null] } } }, Number.MAX_VALUE, -0]
  const badIds: unknown[] = [-1, 1.5, '1', null, Number.MAX_SAFE_INTEGER + 2, Infinity, {}, []]
  const makers: (() => unknown)[] = [
    () => pick(junkValues),
    () => ({ method: pick(methodNames), input: {} }), // no id
    () => ({ id: pick(badIds), method: pick(methodNames), input: {} }),
    () => ({ id: 1, input: {} }), // no method
    () => ({ id: 2, method: pick(junkValues), input: {} }),
    () => ({ id: 3, method: `no.such.${Math.floor(random() * 1e6)}`, input: {} }),
    () => ({ id: 4, method: 'x'.repeat(500), input: {} }),
    () => ({ id: 5, method: pick(methodNames), input: {}, extra: pick(junkValues) }),
    () => ({ id: 6, method: 'engine.check', input: { steps: pick(junkValues), size: 32 } }),
    () => ({ id: 7, method: 'engine.check', input: { steps: 10, size: 100000 } }),
    () => ({ id: 8, method: 'engine.check', input: { steps: 10, size: 32, evil: 1 } }),
    () => ({ id: 9, method: 'files.list', input: { path: pick(junkValues) } }),
    () => ({ id: 10, method: 'files.list', input: { path: 'x'.repeat(5000) } }),
    () => ({ id: 11, method: 'settings.update', input: { backend: pick(['gpu', 'CUDA', '', 1, null]) } }),
    () => ({ id: 12, method: 'jobs.cancel', input: { jobId: pick(junkValues) } }),
    () => ({ id: 13, method: 'engine.status', input: pick([[], 'x', 5, { unexpected: true }]) }),
    () => ({ id: 14, method: 'engine.restart', input: { backend: pick(junkValues) } }),
    () => ({ id: 15, method: '__proto__', input: {} }),
    () => ({ id: 16, method: 'constructor', input: {} }),
    () => ({ id: 17, method: 'toString', input: {} }),
  ]
  return Array.from({ length: count }, () => pick(makers)())
}
