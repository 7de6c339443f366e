// Real checkpoints written by PyTorch (fixtures/make-fixtures.py): every value must match exactly.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CheckpointError, readPytorchCheckpoint, type StateDict } from './index'
import { FIXTURES, fixture } from './test-helpers'

interface Expected {
  dtype: string
  shape: number[]
  f32bits?: number[]
  ints?: string[]
}
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, Record<string, Expected>>

function expectExactly(sd: StateDict, want: Record<string, Expected>): void {
  expect([...sd.keys()]).toEqual(Object.keys(want)) // same names, same order as the file
  for (const [name, e] of Object.entries(want)) {
    const t = sd.get(name)!
    expect({ name, dtype: t.dtype, shape: t.shape }).toEqual({ name, dtype: e.dtype, shape: e.shape })
    if (e.f32bits) {
      expect(t.intData).toBeNull()
      expect(Array.from(new Uint32Array(t.data!.buffer, t.data!.byteOffset, t.data!.length)), name).toEqual(e.f32bits)
    } else {
      expect(t.data).toBeNull()
      expect(Array.from(t.intData! as Iterable<number | bigint>, String), name).toEqual(e.ints)
    }
  }
}

describe('readPytorchCheckpoint on real torch.save files', () => {
  for (const format of ['zip', 'legacy']) {
    it(`reads every dtype, views, offsets and strides exactly (${format})`, async () => {
      expectExactly(await readPytorchCheckpoint(fixture(`basic_${format}.pt`)), expected.basic!)
    })

    it(`reads a Conv2d + BatchNorm2d state_dict, int64 num_batches_tracked included (${format})`, async () => {
      const sd = await readPytorchCheckpoint(fixture(`seq_${format}.pt`))
      expectExactly(sd, expected.seq!)
      expect(sd.get('1.num_batches_tracked')!.intData).toEqual(new BigInt64Array([3n]))
    })

    it(`reads pickle protocol 4 (FRAME, MEMOIZE, STACK_GLOBAL) (${format})`, async () => {
      expectExactly(await readPytorchCheckpoint(fixture(`seq_p4_${format}.pt`)), expected.seq!)
    })

    it(`unwraps a checkpoint dict holding the weights under 'netG' and says so (${format})`, async () => {
      const notes: string[] = []
      const sd = await readPytorchCheckpoint(fixture(`wrapped_${format}.pt`), { onNote: (m) => notes.push(m) })
      expectExactly(sd, expected.seq!)
      expect(notes).toEqual(["using the state_dict stored under 'netG' (also in the file: epoch, lr)"])
    })

    it(`refuses a malicious checkpoint, naming the global it asks for (${format})`, async () => {
      const err = await readPytorchCheckpoint(fixture(`evil_${format}.pt`)).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(CheckpointError)
      expect((err as Error).message).toMatch(/^refusing to load: .*posix\.system.*may be malicious/)
    })
  }

  it('copies the data out, so the result does not alias the file bytes', async () => {
    const bytes = fixture('seq_zip.pt')
    const sd = await readPytorchCheckpoint(bytes)
    const before = Array.from(sd.get('0.weight')!.data!)
    bytes.fill(0)
    expect(Array.from(sd.get('0.weight')!.data!)).toEqual(before)
  })

  it('reads from a Uint8Array at an odd offset inside a larger buffer', async () => {
    const file = fixture('basic_zip.pt')
    const padded = new Uint8Array(file.length + 3)
    padded.set(file, 3)
    expect(await readPytorchCheckpoint(padded.subarray(3))).toEqual(await readPytorchCheckpoint(file))
  })

  it('refuses a whole pickled nn.Module and says to save the state_dict instead', async () => {
    await expect(readPytorchCheckpoint(fixture('whole_model_zip.pt'))).rejects.toThrow(
      /torch\.nn\.modules\.container\.Sequential.*torch\.save\(model\.state_dict\(\)/,
    )
  })

  it('recognises a TorchScript archive and says what to do', async () => {
    await expect(readPytorchCheckpoint(fixture('scripted.pt'))).rejects.toThrow(/TorchScript model.*state_dict/)
  })

  it('explains files that are not checkpoints at all', async () => {
    const safetensors = new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0, ...new TextEncoder().encode('{"a":1}')])
    await expect(readPytorchCheckpoint(safetensors)).rejects.toThrow(/safetensors/)
    await expect(readPytorchCheckpoint(new TextEncoder().encode('<html>404</html>'))).rejects.toThrow(
      /neither a zip-format nor a legacy/,
    )
    await expect(readPytorchCheckpoint(new Uint8Array(0))).rejects.toThrow(CheckpointError)
  })
})
