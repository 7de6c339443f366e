// Seeded fuzzing: every mutated or random input either parses or throws CheckpointError — never
// another error type (a crash in the reader) and never a hang.
import { describe, expect, it } from 'vitest'
import { CheckpointError, readPytorchCheckpoint } from './index'
import { unpickle } from './pickle'
import { fixture, prng } from './test-helpers'
import { torchHooks } from './torch-objects'

type Outcome = 'parsed' | 'refused'

async function outcome(bytes: Uint8Array, what: string): Promise<Outcome> {
  try {
    await readPytorchCheckpoint(bytes)
    return 'parsed'
  } catch (e) {
    if (e instanceof CheckpointError) return 'refused'
    throw new Error(`${what}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`)
  }
}

/** Mutates 1–4 spots, mostly inside the first `hot` bytes (pickles and headers, not raw floats). */
function mutate(src: Uint8Array, rand: () => number, hot: number): Uint8Array {
  let b = src.slice()
  const spot = () => Math.floor((rand() < 0.8 ? Math.min(hot, b.length) : b.length) * rand())
  for (let n = 1 + Math.floor(rand() * 4); n > 0; n--) {
    const at = spot()
    const kind = rand()
    if (kind < 0.4) b[at] = Math.floor(rand() * 256)
    else if (kind < 0.6) b[at] = (b[at] as number) ^ (1 << Math.floor(rand() * 8))
    else if (kind < 0.7) b[at] = [0x00, 0xff, 0x7f, 0x80][Math.floor(rand() * 4)] as number
    else if (kind < 0.8) b = new Uint8Array([...b.subarray(0, at), ...b.subarray(at + 1)]) // delete
    else if (kind < 0.9) b = new Uint8Array([...b.subarray(0, at), Math.floor(rand() * 256), ...b.subarray(at)])
    else b = b.slice(0, at) // truncate
  }
  return b
}

describe('fuzzing', () => {
  it('3,000 seeded mutations of real checkpoints parse or throw CheckpointError', async () => {
    const files = ['seq_zip.pt', 'seq_legacy.pt', 'basic_zip.pt', 'basic_legacy.pt', 'seq_p4_zip.pt', 'wrapped_legacy.pt']
    const counts: Record<Outcome, number> = { parsed: 0, refused: 0 }
    for (const [f, name] of files.entries()) {
      const src = fixture(name)
      const rand = prng(1000 + f)
      for (let i = 0; i < 500; i++) {
        const bytes = mutate(src, rand, name.includes('zip') ? 1400 : 1000)
        counts[await outcome(bytes, `${name} mutation ${i}`)]++
      }
    }
    // Both outcomes occur, so the mutations are neither all harmless nor all fatal.
    expect(counts.parsed).toBeGreaterThan(100)
    expect(counts.refused).toBeGreaterThan(1000)
  }, 30_000)

  it('2,000 random opcode streams run the pickle VM into a value or a CheckpointError', () => {
    const rand = prng(7)
    // Real opcodes with small random operands, so streams get past the first byte.
    const ops = [0x80, 0x95, 0x2e, 0x28, 0x30, 0x31, 0x32, 0x7d, 0x5d, 0x29, 0x74, 0x85, 0x86, 0x87, 0x6c, 0x64, 0x4e,
      0x88, 0x89, 0x4a, 0x4b, 0x4d, 0x8a, 0x8b, 0x47, 0x58, 0x8c, 0x8d, 0x55, 0x54, 0x43, 0x42, 0x8e, 0x71, 0x72, 0x94,
      0x68, 0x6a, 0x63, 0x93, 0x52, 0x62, 0x51, 0x73, 0x75, 0x61, 0x65]
    const names = ['collections\nOrderedDict\n', 'torch._utils\n_rebuild_tensor_v2\n', 'torch\nFloatStorage\n', 'os\nsystem\n']
    let values = 0
    const kinds = new Set<string>()
    for (let i = 0; i < 2000; i++) {
      const out: number[] = [0x80, 2]
      for (let n = Math.floor(rand() * 40); n > 0; n--) {
        const op = ops[Math.floor(rand() * ops.length)] as number
        out.push(op)
        if (op === 0x63) out.push(...new TextEncoder().encode(names[Math.floor(rand() * names.length)]))
        else for (let k = Math.floor(rand() * 5); k > 0; k--) out.push(rand() < 0.7 ? Math.floor(rand() * 4) : Math.floor(rand() * 256))
      }
      out.push(0x2e)
      try {
        unpickle(new Uint8Array(out), 0, torchHooks(new Map()))
        values++
      } catch (e) {
        if (!(e instanceof CheckpointError)) throw new Error(`stream ${i}: ${String(e)}`)
        kinds.add(e.message.replace(/\d+/g, 'N').slice(0, 90))
      }
    }
    // Some streams survive to STOP, and the failures hit many different checks, not one early exit.
    expect(values).toBeGreaterThan(0)
    expect(kinds.size).toBeGreaterThan(20)
  })
})
