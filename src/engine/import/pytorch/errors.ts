/** Anything wrong with a checkpoint file: the message says what is wrong and what to do. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CheckpointError'
  }
}

/** A deliberate refusal (forbidden global or opcode), as opposed to damage; callers may tell them apart. */
export class RefusedError extends CheckpointError {}

const RESAVE =
  'Ganvas only reads state_dicts (tensors in a dict); if you trust the file, re-save it in Python ' +
  'with torch.save(model.state_dict(), "weights.pth") and import that.'

/** The refusal for any pickled global outside the allow-list; always names the global. */
export function refusedGlobal(module: string, name: string): CheckpointError {
  const q = `${module}.${name}`
  // torch's own names are usually benign (bfloat16, quantized or sparse tensors, pickled modules).
  const why =
    module === 'torch' || module.startsWith('torch.')
      ? `${q}, which plain float32/float16/float64 state_dicts never need (bfloat16, quantized, sparse or ` +
        'subclassed tensors and whole pickled models are not supported)'
      : `the Python global ${q}, which a weights file never needs — it may be malicious, or it is a whole ` +
        'pickled model or training state rather than a state_dict'
  return new RefusedError(`refusing to load: the file asks for ${why}. ${RESAVE}`)
}

/** Opcodes that build arbitrary objects (INST, OBJ, NEWOBJ, ...) never appear in a state_dict. */
export function refusedOpcode(opcode: string, detail = ''): CheckpointError {
  return new RefusedError(
    `refusing to load: the file uses the pickle opcode ${opcode}${detail}, which creates arbitrary Python objects ` +
      `and never appears in a state_dict — it may be malicious. ${RESAVE}`,
  )
}

/** Structural damage: truncated, corrupted or not a checkpoint at all. */
export function corrupt(what: string): CheckpointError {
  return new CheckpointError(
    `the checkpoint is damaged or not a PyTorch file: ${what}. Check that the download finished ` +
      '(compare the file size) and that it is a .pth/.pt file written by torch.save.',
  )
}
