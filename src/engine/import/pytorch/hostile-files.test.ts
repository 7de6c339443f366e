// Hostile or damaged containers: storage keys, sizes, zip tricks, legacy framing, truncation.
import { unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { readPytorchCheckpoint } from './index'
import { f32, failure, fixture, legacyCheckpoint, stateDictPickle, type TensorSpec } from './test-helpers'
import { patchCentral, toZip64, zipCheckpoint } from './test-zip'

const read = (bytes: Uint8Array) => readPytorchCheckpoint(bytes)
const FOUR = f32(1, 2, 3, 4)
const zipWith = (t: Partial<TensorSpec>, data = FOUR) =>
  zipCheckpoint(stateDictPickle([{ name: 'w', key: '0', numel: 4, shape: [4], ...t }]), { '0': data })

describe('storage references', () => {
  for (const key of ['../../etc/passwd', '/etc/passwd', 'a/b', '..', '', 'x'.repeat(65)]) {
    it(`refuses the storage key ${JSON.stringify(key).slice(0, 20)}`, async () => {
      expect(await failure(read(zipWith({ key })))).toMatch(/storage key .* is not a plain name/)
      expect(await failure(read(legacyCheckpoint(stateDictPickle([{ name: 'w', key, numel: 4, shape: [4] }], true), [])))).toMatch(
        /storage key/,
      )
    })
  }

  it('refuses a storage the archive does not have', async () => {
    const file = zipCheckpoint(stateDictPickle([{ name: 'w', key: '7', numel: 4, shape: [4] }]), { '0': FOUR })
    expect(await failure(read(file))).toMatch(/storage 7 is missing/)
  })

  it('refuses one storage declared with two types', async () => {
    const pkl = stateDictPickle([
      { name: 'a', key: '0', numel: 4, shape: [4] },
      { name: 'b', key: '0', numel: 2, shape: [2], storage: 'DoubleStorage' },
    ])
    expect(await failure(read(zipCheckpoint(pkl, { '0': FOUR })))).toMatch(/declared twice/)
  })
})

describe('sizes, offsets and strides are checked against the data', () => {
  const cases: [string, Partial<TensorSpec>, RegExp][] = [
    ['a negative size', { shape: [-1] }, /tensor size is not a non-negative integer/],
    ['a negative stride', { shape: [2], stride: [-1] }, /tensor stride is not a non-negative/],
    ['a negative offset', { offset: -4 }, /storage offset is not a non-negative/],
    ['more elements than the storage', { shape: [100] }, /reads element 99 of a storage with only 4/],
    ['an offset past the end', { offset: 4, shape: [1] }, /reads element 4/],
    ['strides past the end', { shape: [2, 2], stride: [1000, 1] }, /reads element 1001/],
    ['a storage larger than its data', { numel: 2 ** 40 }, /storage 0 is shorter than its tensors need/],
    ['a 10^10-element broadcast view', { shape: [100_000, 100_000], stride: [0, 0] }, /more than Ganvas can hold/],
    ['a 16M-element broadcast view', { shape: [4096, 4096], stride: [0, 0] }, /repeats 4 stored values into 16777216/],
    ['33 dimensions', { shape: new Array<number>(33).fill(1) }, /33 dimensions/],
  ]
  for (const [name, t, message] of cases) {
    it(`refuses ${name}`, async () => {
      expect(await failure(read(zipWith(t)))).toMatch(message)
    })
  }

  it('refuses many views whose copies would dwarf the file', async () => {
    const n = 1 << 20 // 4 MB of data, viewed 30 times = 120 MB of output for a 4 MB file
    const tensors = Array.from({ length: 30 }, (_, i) => ({ name: `v${i}`, key: '0', numel: n, shape: [n] }))
    const file = zipCheckpoint(stateDictPickle(tensors), { '0': new Uint8Array(4 * n) })
    expect(await failure(read(file))).toMatch(/far more than the .*-byte file can hold/)
  })
})

describe('zip containers', () => {
  const good = () => zipWith({})

  for (const name of ['../x', 'archive/../../x', '/etc/passwd', 'C:/x', 'a\\..\\x']) {
    it(`refuses an entry named ${name}`, async () => {
      const file = zipSync({ ...unzipSync(good()), [name]: FOUR }, { level: 0 })
      expect(await failure(read(file))).toMatch(/^refusing to load: the archive contains an entry named .* outside it/)
    })
  }

  it('reads zip64 directories (sizes and offsets in zip64 extra fields)', async () => {
    const original = fixture('basic_zip.pt')
    expect(await read(toZip64(original))).toEqual(await read(original))
  })

  it('reads a re-zipped (deflated) checkpoint exactly like the original', async () => {
    const original = fixture('seq_zip.pt')
    const deflated = zipSync(unzipSync(original), { level: 6 })
    expect(deflated.length).toBeLessThan(original.length)
    expect(await read(deflated)).toEqual(await read(original))
  })

  it('stops inflating an entry that unpacks past its declared size (zip bomb)', async () => {
    const bomb = zipCheckpoint(stateDictPickle([{ name: 'w', key: '0', numel: 4, shape: [4] }]), { '0': new Uint8Array(8 << 20) }, {}, 6)
    const lying = patchCentral(bomb, 'archive/data/0', 24, 16) // uncompressed size: 16 bytes
    expect(await failure(read(lying))).toMatch(/unpacks to more than its declared 16 bytes/)
  })

  it('refuses archives declaring more than 4 GiB in total', async () => {
    let file = zipCheckpoint(stateDictPickle([{ name: 'w', key: '0', numel: 4, shape: [4] }]), { '0': FOUR, '1': FOUR }, {}, 6)
    for (const k of ['0', '1']) file = patchCentral(file, `archive/data/${k}`, 24, 0xfffffff0)
    expect(await failure(read(file))).toMatch(/more than 4 GiB/)
  })

  it('refuses an entry that unpacks to less than declared', async () => {
    const file = patchCentral(zipCheckpoint(stateDictPickle([{ name: 'w', key: '0', numel: 4, shape: [4] }]), { '0': FOUR }, {}, 6), 'archive/data/0', 24, 1000)
    expect(await failure(read(file))).toMatch(/unpacks to 16 bytes, not the declared 1000/)
  })

  it('refuses encrypted entries, unknown compression and bad header offsets', async () => {
    expect(await failure(read(patchCentral(good(), 'archive/data/0', 8, 1, 2)))).toMatch(/encrypted/)
    expect(await failure(read(patchCentral(good(), 'archive/data/0', 10, 12, 2)))).toMatch(/compression method 12/)
    expect(await failure(read(patchCentral(good(), 'archive/data/0', 42, 0x7fffffff)))).toMatch(/ends early/)
  })

  it('refuses big-endian checkpoints and accepts little-endian ones', async () => {
    const pkl = stateDictPickle([{ name: 'w', key: '0', numel: 4, shape: [4] }])
    const big = zipCheckpoint(pkl, { '0': FOUR }, { 'archive/byteorder': new TextEncoder().encode('big') })
    expect(await failure(read(big))).toMatch(/big-endian.*re-save/)
    const little = zipCheckpoint(pkl, { '0': FOUR }, { 'archive/byteorder': new TextEncoder().encode('little') })
    expect(Array.from((await read(little)).get('w')!.data!)).toEqual([1, 2, 3, 4])
  })

  it('needs exactly one data.pkl', async () => {
    const none = zipSync({ 'archive/data/0': FOUR }, { level: 0 })
    expect(await failure(read(none))).toMatch(/0 data\.pkl records/)
    const two = zipSync({ ...unzipSync(good()), 'other/data.pkl': new Uint8Array([0x80, 2, 0x7d, 0x2e]) }, { level: 0 })
    expect(await failure(read(two))).toMatch(/2 data\.pkl records/)
  })
})

describe('legacy containers', () => {
  const pkl = stateDictPickle([{ name: 'w', key: '0', numel: 4, shape: [4] }], true)

  it('refuses big-endian files', async () => {
    expect(await failure(read(legacyCheckpoint(pkl, [['0', 4, FOUR]], false)))).toMatch(/big-endian/)
  })

  it('refuses element counts that are negative, huge, or short of what tensors need', async () => {
    expect(await failure(read(legacyCheckpoint(pkl, [['0', -1, FOUR]])))).toMatch(/holds -1 elements/)
    expect(await failure(read(legacyCheckpoint(pkl, [['0', 2 ** 50, FOUR]])))).toMatch(/ends early/)
    expect(await failure(read(legacyCheckpoint(pkl, [['0', 2, FOUR.subarray(0, 8)]])))).toMatch(/holds 2 elements/)
  })

  it('refuses data for undeclared storages and declared storages without data', async () => {
    expect(await failure(read(legacyCheckpoint(pkl, [['0', 4, FOUR], ['9', 4, FOUR]])))).toMatch(/storage 9 has data/)
    expect(await failure(read(legacyCheckpoint(pkl, [])))).toMatch(/storage 0 has no data/)
  })
})

describe('truncated files', () => {
  for (const name of ['seq_zip.pt', 'seq_legacy.pt', 'basic_legacy.pt']) {
    it(`every proper prefix of ${name} is a CheckpointError`, async () => {
      const bytes = fixture(name)
      for (let n = 0; n < bytes.length; n++) await failure(read(bytes.subarray(0, n)))
    })
  }
})
