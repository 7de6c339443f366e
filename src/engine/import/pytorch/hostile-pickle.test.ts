// Hand-crafted hostile pickles: forbidden globals and opcodes, and malformed streams.
import { describe, expect, it } from 'vitest'
import { readPytorchCheckpoint } from './index'
import { f32, failure, legacyCheckpoint, PickleWriter, stateDictPickle, writeTensor } from './test-helpers'
import { zipCheckpoint } from './test-zip'

const read = (bytes: Uint8Array) => readPytorchCheckpoint(bytes)
const inZip = (pkl: Uint8Array) => zipCheckpoint(pkl, { '0': f32(1, 2, 3, 4) })
const latin = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)))

const ATTACKS: [string, string][] = [
  ['os', 'system'], ['posix', 'system'], ['nt', 'system'], ['subprocess', 'Popen'], ['subprocess', 'check_output'],
  ['builtins', 'eval'], ['builtins', 'exec'], ['builtins', 'getattr'], ['builtins', '__import__'], ['__builtin__', 'open'],
  ['torch', 'load'], ['torch.serialization', 'load'], ['numpy.core.multiarray', '_reconstruct'], ['runpy', '_run_code'],
  ['torch._utils', '_rebuild_tensor'], ['collections', 'defaultdict'], ['torch', 'FloatTensor'],
]

/** `module.name('echo pwned')`, the classic malicious __reduce__. */
function callPickle(module: string, name: string, stack: boolean): Uint8Array {
  const w = new PickleWriter().proto(stack ? 4 : 2)
  if (stack) w.stackGlobal(module, name)
  else w.global(module, name)
  return w.mark().str('echo pwned').tuple().reduce().stop().bytes()
}

describe('globals outside the allow-list are refused, by name', () => {
  for (const [module, name] of ATTACKS) {
    it(`${module}.${name}`, async () => {
      const named = new RegExp(`^refusing to load: .*${`${module}.${name}`.replace(/\./g, '\\.')}`)
      expect(await failure(read(inZip(callPickle(module, name, false))))).toMatch(named)
      expect(await failure(read(inZip(callPickle(module, name, true))))).toMatch(named)
      expect(await failure(read(legacyCheckpoint(callPickle(module, name, false), [])))).toMatch(named)
    })
  }

  it('names the global when the whole file is a malicious pickle rather than a checkpoint', async () => {
    expect(await failure(read(callPickle('os', 'system', false)))).toMatch(/^refusing to load: .*os\.system/)
    expect(await failure(read(callPickle('builtins', 'exec', true)))).toMatch(/^refusing to load: .*builtins\.exec/)
  })

  it('refuses a protocol-0 pickle (no PROTO opcode) using the text GLOBAL opcode', async () => {
    const msg = await failure(read(inZip(latin("cos\nsystem\n(S'echo pwned'\ntR."))))
    expect(msg).toMatch(/os\.system.*may be malicious/)
  })

  it('refuses a global hidden after valid tensors, before any data is read', async () => {
    const w = new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyTuple().reduce()
    writeTensor(w.str('ok'), { name: 'ok', key: '0', numel: 4, shape: [4] }).setitem()
    w.str('evil').global('posix', 'system').mark().str('id').tuple().reduce().setitem().stop()
    expect(await failure(read(inZip(w.bytes())))).toMatch(/posix\.system/)
  })

  it('refuses a global in a legacy header pickle', async () => {
    // Keep the magic-number (15 bytes) and version (6 bytes) pickles; the sys-info pickle is the attack.
    const header = legacyCheckpoint(stateDictPickle([]), []).subarray(0, 21)
    const evil = callPickle('os', 'system', false)
    expect(await failure(read(new Uint8Array([...header, ...evil])))).toMatch(/os\.system/)
  })
})

describe('opcodes that build arbitrary objects are refused', () => {
  const cases: [string, string, RegExp][] = [
    ['INST', '(ios\nsystem\n.', /INST \(os\.system\)/],
    ['OBJ', '(ccollections\nOrderedDict\no.', /OBJ/],
    ['NEWOBJ', '\x80\x02ccollections\nOrderedDict\n)\x81.', /NEWOBJ/],
    ['NEWOBJ_EX', '\x80\x04ccollections\nOrderedDict\n)}\x92.', /NEWOBJ_EX/],
    ['EXT1', '\x80\x02\x82\x01).', /EXT1/],
    ['PERSID', 'P0\n.', /PERSID/],
  ]
  for (const [name, pickle, message] of cases) {
    it(name, async () => {
      const msg = await failure(read(inZip(latin(pickle))))
      expect(msg).toMatch(/^refusing to load/)
      expect(msg).toMatch(message)
    })
  }
})

describe('allow-listed names used in ways torch.save never does', () => {
  const cases: [string, PickleWriter, RegExp][] = [
    ['calling a storage class', new PickleWriter().proto().global('torch', 'FloatStorage').emptyTuple().reduce(), /calls torch\.FloatStorage directly/],
    ['calling a string', new PickleWriter().proto().str('os.system').emptyTuple().reduce(), /not a function/],
    ['REDUCE with non-tuple args', new PickleWriter().proto().global('collections', 'OrderedDict').emptyList().reduce(), /not a tuple/],
    ['_rebuild_tensor_v2 with 2 args', new PickleWriter().proto().call('torch._utils', '_rebuild_tensor_v2', (w) => w.int(1).int(2)), /got 2 arguments/],
    ['_rebuild_parameter of a string', new PickleWriter().proto().call('torch._utils', '_rebuild_parameter', (w) => w.str('x').bool(false).none()), /without a tensor/],
    ['BUILD on a list', new PickleWriter().proto().emptyList().emptyDict().build(), /BUILD/],
    ['a persistent id that is not a storage', new PickleWriter().proto().str('/etc/passwd').persid(), /not a storage/],
    ['a storage whose type is not a storage class', new PickleWriter().proto().mark().str('storage').global('collections', 'OrderedDict').str('0').str('cpu').int(4).tuple().persid(), /without a storage type/],
    ['OrderedDict with odd arguments', new PickleWriter().proto().call('collections', 'OrderedDict', (w) => w.int(1).int(2)), /unexpected arguments/],
  ]
  for (const [name, w, message] of cases) {
    it(name, async () => {
      expect(await failure(read(inZip(w.stop().bytes())))).toMatch(message)
    })
  }
})

describe('malformed pickles fail cleanly, without huge allocations or hangs', () => {
  const p = () => new PickleWriter().proto(4)
  const cases: [string, PickleWriter, RegExp][] = [
    ['BINUNICODE longer than the file', p().byte(0x58).u32(0xffffffff), /ends early/],
    ['BINUNICODE8 of 2^60 bytes', p().byte(0x8d, 0, 0, 0, 0, 0, 0, 0, 0x10), /impossible 8-byte length/],
    ['BINBYTES8 of 2^40 bytes', p().byte(0x8e, 0, 0, 0, 0, 0, 1, 0, 0), /ends early/],
    ['BINSTRING with negative length', p().byte(0x54).u32(0xfffffff0), /negative length/],
    ['FRAME of 2^40 bytes', p().byte(0x95, 0, 0, 0, 0, 0, 1, 0, 0).emptyDict().stop(), /FRAME .* past the end/],
    ['LONG4 of 2^31 - 1 bytes', p().byte(0x8b).u32(0x7fffffff), /out of range/],
    ['LONG1 longer than the file', p().byte(0x8a, 200, 1, 2), /ends early/],
    ['GET of a slot never stored', p().byte(0x6a).u32(0xfffffff0), /never stored/],
    ['stack underflow', p().reduce(), /underflow/],
    ['SETITEM on a list', p().emptyList().str('k').str('v').setitem(), /not a dict/],
    ['SETITEMS with an odd count', p().emptyDict().mark().str('k').setitems(), /odd number/],
    ['APPENDS to a dict', p().emptyDict().mark().int(1).appends(), /not a list/],
    ['POP_MARK without MARK', p().byte(0x31), /MARK missing/],
    ['20,000 nested MARKs', p().byte(...new Array<number>(20_000).fill(0x28)), /nest too deeply/],
    ['no STOP', p().emptyDict(), /ends early/],
    ['invalid UTF-8', p().byte(0x8c, 2, 0xc3, 0x28).stop(), /not valid UTF-8/],
    ['an unknown opcode', p().byte(0xff), /unsupported pickle opcode 0xff/],
    ['protocol 6', new PickleWriter().proto(6).emptyDict().stop(), /protocol 6/],
    ['an unterminated GLOBAL line', new PickleWriter().proto().byte(0x63, ...new Array<number>(2000).fill(0x61)), /unterminated or overlong/],
    ['a top-level list', p().emptyList().stop(), /holds a list, not a state_dict/],
    ['an empty state_dict', p().emptyDict().stop(), /empty/],
  ]
  for (const [name, w, message] of cases) {
    it(name, async () => {
      expect(await failure(read(inZip(w.bytes())))).toMatch(message)
    })
  }
})
