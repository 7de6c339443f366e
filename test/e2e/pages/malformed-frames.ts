/**
 * Hostile WebSocket frames for serve mode: handwritten cases for every rule of the envelope and
 * of method inputs, plus seeded random mutations. Each case names the field the host's error must
 * name. None of them is a valid call, so none may change the server's state.
 */
import { Random } from '../../../src/engine/random'

export interface MalformedFrame {
  label: string
  data: string | Buffer
  /** The error's `field` must start with this (e.g. 'message.id', 'input.steps'). */
  field: string
}

const json = (label: string, value: unknown, field: string): MalformedFrame => ({ label, data: JSON.stringify(value), field })
const nest = (depth: number, leaf: unknown): unknown => {
  let value = leaf
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

export function handwrittenFrames(): MalformedFrame[] {
  return [
    { label: 'empty text', data: '', field: 'message' },
    { label: 'not JSON', data: 'hello engine', field: 'message' },
    { label: 'truncated JSON', data: '{"id":1,"method":"app.info"', field: 'message' },
    { label: 'binary frame', data: Buffer.from([0, 1, 2, 255]), field: 'message' },
    json('JSON null', null, 'message'),
    json('JSON number', 42, 'message'),
    json('JSON string', 'app.info', 'message'),
    json('JSON array', [1, 'app.info', {}], 'message'),
    json('missing id', { method: 'app.info', input: {} }, 'message.id'),
    json('string id', { id: '1', method: 'app.info', input: {} }, 'message.id'),
    json('negative id', { id: -5, method: 'app.info', input: {} }, 'message.id'),
    json('fractional id', { id: 1.5, method: 'app.info', input: {} }, 'message.id'),
    json('huge id', { id: 1e300, method: 'app.info', input: {} }, 'message.id'),
    json('id past 2^53', { id: 2 ** 53, method: 'app.info', input: {} }, 'message.id'),
    json('object id', { id: { n: 1 }, method: 'app.info', input: {} }, 'message.id'),
    json('missing method', { id: 1, input: {} }, 'message.method'),
    json('number method', { id: 1, method: 7, input: {} }, 'message.method'),
    json('over-long method', { id: 1, method: 'x'.repeat(101), input: {} }, 'message.method'),
    json('unknown method', { id: 1, method: 'engine.selfDestruct', input: {} }, 'message.method'),
    json('prototype method', { id: 1, method: '__proto__', input: {} }, 'message.method'),
    json('constructor method', { id: 1, method: 'constructor', input: {} }, 'message.method'),
    json('toString method', { id: 1, method: 'toString', input: {} }, 'message.method'),
    json('extra envelope key', { id: 1, method: 'app.info', input: {}, admin: true }, 'message'),
    json('array input', { id: 1, method: 'app.info', input: [] }, 'input'),
    json('string input', { id: 1, method: 'jobs.list', input: 'all' }, 'input'),
    json('unexpected input key', { id: 1, method: 'engine.status', input: { verbose: true } }, 'input'),
    json('check without steps', { id: 1, method: 'engine.check', input: { size: 32 } }, 'input.steps'),
    json('check steps as text', { id: 1, method: 'engine.check', input: { steps: '30', size: 32 } }, 'input.steps'),
    json('check steps zero', { id: 1, method: 'engine.check', input: { steps: 0, size: 32 } }, 'input.steps'),
    json('check steps too many', { id: 1, method: 'engine.check', input: { steps: 501, size: 32 } }, 'input.steps'),
    json('check size too small', { id: 1, method: 'engine.check', input: { steps: 3, size: 7 } }, 'input.size'),
    json('check size fractional', { id: 1, method: 'engine.check', input: { steps: 3, size: 32.5 } }, 'input.size'),
    json('check extra key', { id: 1, method: 'engine.check', input: { steps: 3, size: 32, gpu: true } }, 'input'),
    json('cancel empty id', { id: 1, method: 'jobs.cancel', input: { jobId: '' } }, 'input.jobId'),
    json('cancel long id', { id: 1, method: 'jobs.cancel', input: { jobId: 'j'.repeat(101) } }, 'input.jobId'),
    json('unknown backend', { id: 1, method: 'settings.update', input: { backend: 'cuda' } }, 'input.backend'),
    json('unknown setting', { id: 1, method: 'settings.update', input: { theme: 'light' } }, 'input'),
    json('restart bad backend', { id: 1, method: 'engine.restart', input: { backend: 42 } }, 'input.backend'),
    json('list empty path', { id: 1, method: 'files.list', input: { path: '' } }, 'input.path'),
    json('list long path', { id: 1, method: 'files.list', input: { path: '/'.repeat(5000) } }, 'input.path'),
    json('deeply nested input', { id: 1, method: 'app.info', input: nest(200, 1) }, 'input'),
    json('deeply nested id', { id: nest(200, 1), method: 'app.info', input: {} }, 'message.id'),
    { label: 'proto pollution', data: '{"id":1,"method":"app.info","input":{},"__proto__":{"admin":true}}', field: 'message' },
  ]
}

const GARBAGE: unknown[] = [null, true, -1, 0.5, 1e308, '', 'x', [], [[]], {}, { a: { b: [1, { c: null }] } }, '💥', -0]

/** Random broken frames: an otherwise valid envelope with one part replaced by garbage. */
export function randomFrames(count: number, seed: number): MalformedFrame[] {
  // Seeded, so a failure can be replayed exactly.
  const rng = new Random(seed)
  const random = () => rng.next()
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const garbage = () => pick(GARBAGE)
  const mutations: Array<() => MalformedFrame> = [
    () => ({ label: 'random bytes', data: Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256))).toString('latin1').replace(/^[\s\S]/, '\u0001'), field: 'message' }),
    () => json('garbage id', { id: pick(GARBAGE.filter((g) => typeof g !== 'number' || !Number.isInteger(g) || g < 0 || g > Number.MAX_SAFE_INTEGER)), method: 'app.info', input: {} }, 'message.id'),
    () => json('garbage method', { id: Math.floor(random() * 1e9), method: garbage(), input: {} }, 'message.method'),
    () => json('random method name', { id: Math.floor(random() * 1e9), method: `m${Math.floor(random() * 1e12).toString(36)}`, input: {} }, 'message.method'),
    () => json('garbage steps', { id: 3, method: 'engine.check', input: { steps: pick(['1', null, 0, 501, 2.5, [], {}]), size: 32 } }, 'input.steps'),
    () => json('garbage size', { id: 4, method: 'engine.check', input: { steps: 5, size: pick(['32', null, 7, 129, 9.5, [], {}]) } }, 'input.size'),
    () => json('garbage jobId', { id: 5, method: 'jobs.cancel', input: { jobId: pick([null, 1, '', [], {}, 'q'.repeat(200)]) } }, 'input.jobId'),
    () => json('garbage backend', { id: 6, method: 'settings.update', input: { backend: pick([null, 1, '', 'gpu', 'WASM', [], {}]) } }, 'input.backend'),
    () => json('garbage input', { id: 7, method: pick(['app.info', 'jobs.list', 'models.list', 'engine.status']), input: pick([[], 'x', 1, true, { z: garbage() }]) }, 'input'),
  ]
  return Array.from({ length: count }, () => pick(mutations)())
}
