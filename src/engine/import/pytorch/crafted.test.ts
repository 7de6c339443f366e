// Hand-built files for layouts the fixture script does not produce with torch 1.13.
import { describe, expect, it } from 'vitest'
import { readPytorchCheckpoint } from './index'
import { f32, failure, legacyCheckpoint, PickleWriter, stateDictPickle, writeTensor } from './test-helpers'
import { zipCheckpoint } from './test-zip'

const read = (bytes: Uint8Array) => readPytorchCheckpoint(bytes)
const values = async (file: Uint8Array, name = 'w') => Array.from((await read(file)).get(name)!.data!)
const iota = (n: number) => f32(...Array.from({ length: n }, (_, i) => i))

describe('tensor layouts', () => {
  it('materialises a permuted 3-D view in row-major order', async () => {
    // shape (4, 3, 2) with strides (1, 4, 12) over 0..23: element [i, j, k] is i + 4j + 12k.
    const file = zipCheckpoint(stateDictPickle([{ name: 'w', key: '0', numel: 24, shape: [4, 3, 2], stride: [1, 4, 12] }]), { '0': iota(24) })
    const want: number[] = []
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 2; k++) want.push(i + 4 * j + 12 * k)
    expect(await values(file)).toEqual(want)
  })

  it('ignores the strides of size-1 dimensions, and handles broadcast (stride 0) views', async () => {
    const file = zipCheckpoint(
      stateDictPickle([
        { name: 'w', key: '0', numel: 8, shape: [1, 4], stride: [999, 1], offset: 2 },
        { name: 'b', key: '0', numel: 8, shape: [2, 3], stride: [0, 1], offset: 5 },
      ]),
      { '0': iota(8) },
    )
    expect(await values(file)).toEqual([2, 3, 4, 5])
    expect(await values(file, 'b')).toEqual([5, 6, 7, 5, 6, 7])
  })

  it('reads legacy (pre-1.0) storage views inside a root storage', async () => {
    const pkl = stateDictPickle(
      [
        { name: 'w', key: 'r', numel: 6, shape: [3], view: ['v', 2, 3] },
        { name: 'x', key: 'r', numel: 6, offset: 1, shape: [2], view: ['v', 2, 3] },
      ],
      true,
    )
    const file = legacyCheckpoint(pkl, [['r', 6, iota(6)]])
    expect(await values(file)).toEqual([2, 3, 4])
    expect(await values(file, 'x')).toEqual([3, 4])
  })

  it('reads byte tensors on untyped storages, under both of their names', async () => {
    for (const module of ['torch', 'torch.storage']) {
      const w = new PickleWriter().proto().emptyDict().str('u')
      w.call('torch._utils', '_rebuild_tensor_v2', (a) => {
        a.mark().str('storage').global(module, 'UntypedStorage').str('0').str('cpu').int(3).tuple().persid().int(0).intTuple([3]).intTuple([1]).bool(false).none()
      })
      const t = (await read(zipCheckpoint(w.setitem().stop().bytes(), { '0': new Uint8Array([9, 8, 7]) }))).get('u')!
      expect([t.dtype, Array.from(t.intData as Uint8Array)]).toEqual(['uint8', [9, 8, 7]])
    }
  })

  it('accepts the optional 7th _rebuild_tensor_v2 argument (metadata) and tied weights via the memo', async () => {
    const w = new PickleWriter().proto().emptyDict().mark().str('a')
    w.call('torch._utils', '_rebuild_tensor_v2', (a) => {
      a.mark().str('storage').global('torch', 'FloatStorage').str('0').str('cpu').int(2).tuple().persid()
      a.int(0).intTuple([2]).intTuple([1]).bool(false).none().emptyDict()
    })
    w.byte(0x71, 7).str('b').byte(0x68, 7).setitems().stop() // BINPUT 7 … BINGET 7
    const sd = await read(zipCheckpoint(w.bytes(), { '0': f32(1.5, -2) }))
    expect([...sd.keys()]).toEqual(['a', 'b'])
    expect(Array.from(sd.get('b')!.data!)).toEqual([1.5, -2])
    expect(sd.get('a')!.data).not.toBe(sd.get('b')!.data) // separate copies: callers may transform in place
  })

  it('builds an OrderedDict from a list of pairs', async () => {
    const w = new PickleWriter().proto().global('collections', 'OrderedDict').mark().emptyList().mark().mark().str('w')
    writeTensor(w, { name: 'w', key: '0', numel: 1, shape: [] }).tuple().appends().tuple().reduce().stop()
    expect(await values(zipCheckpoint(w.bytes(), { '0': f32(7) }))).toEqual([7])
  })
})

describe('finding the state_dict', () => {
  const tensorDict = (w: PickleWriter) => writeTensor(w.emptyDict().str('w'), { name: 'w', key: '0', numel: 1, shape: [] }).setitem()
  const file = (build: (w: PickleWriter) => void) => {
    const w = new PickleWriter().proto().emptyDict()
    build(w)
    return zipCheckpoint(w.stop().bytes(), { '0': f32(7) })
  }

  it("unwraps 'state_dict' and reports what else the file holds", async () => {
    const notes: string[] = []
    const sd = await readPytorchCheckpoint(
      file((w) => tensorDict(w.str('state_dict')).setitem().str('epoch').int(200).setitem().str('best').byte(0x47, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0).setitem()),
      { onNote: (m) => notes.push(m) },
    )
    expect([...sd.keys()]).toEqual(['w'])
    expect(notes).toEqual(["using the state_dict stored under 'state_dict' (also in the file: epoch, best)"])
  })

  it('refuses to guess between two wrapped state_dicts', async () => {
    const msg = await failure(read(file((w) => tensorDict(tensorDict(w.str('netG')).setitem().str('generator')).setitem())))
    expect(msg).toMatch(/keys: netG, generator.*several state_dict/)
  })

  it('refuses dicts that mix tensors with other values, and non-string keys', async () => {
    const mixed = file((w) => writeTensor(w.str('w'), { name: 'w', key: '0', numel: 1, shape: [] }).setitem().str('lr').int(1).setitem())
    expect(await failure(read(mixed))).toMatch(/keys: w, lr.*no state_dict/)
    expect(await failure(read(file((w) => tensorDict(w.int(5)).setitem())))).toMatch(/keys: 5/)
  })

  it('refuses a single tensor', async () => {
    const w = writeTensor(new PickleWriter().proto(), { name: 'w', key: '0', numel: 1, shape: [] })
    expect(await failure(read(zipCheckpoint(w.stop().bytes(), { '0': f32(1) })))).toMatch(/a single tensor, not a state_dict/)
  })
})
