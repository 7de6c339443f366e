/**
 * TF.js's engine.gradients, freeing memory as the backward pass goes. TF.js keeps the gradient of
 * every intermediate tensor, and every tensor saved for the backward pass, until the whole backward
 * pass is done, so a training step peaks at about three times its activations (a CycleGAN 256 step
 * then exceeds wasm's 4 GB). Here, once a node's input gradients are computed:
 *  - the gradients of its outputs are disposed (each tensor's gradient is read only by the node that
 *    made it), unless one of them is a requested gradient or the caller's dy;
 *  - its saved tensors are disposed, when no outer gradient is being recorded (TF.js disposes them
 *    all at the end in that case too; a gradient of a gradient still needs them).
 * The same kernels run in the same order, so gradients are bit for bit TF.js's.
 */
import * as tf from '@tensorflow/tfjs'

interface TapeNode {
  id: number
  kernelName: string
  outputs: tf.Tensor[]
  inputs: Record<string, tf.Tensor>
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>
  saved?: tf.Tensor[]
}

interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number }
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T
  startTape(): void
  endTape(): void
  tidy<T extends tf.TensorContainer>(nameOrFn: string | (() => T), fn?: () => T): T
  gradients<T extends tf.Tensor>(f: () => T, xs: tf.Tensor[], dy?: T, allowNoGradients?: boolean): { value: T; grads: tf.Tensor[] }
}

/** The nodes on some path from one of `xs` to `y`, in tape order, with inputs not depending on `xs` left out. */
export function nodesBetween(tape: TapeNode[], xs: tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id))
  const nodesFromX = new Set<number>()
  for (const node of tape) {
    if (Object.values(node.inputs).some((input) => fromX.has(input.id))) {
      nodesFromX.add(node.id)
      for (const output of node.outputs) fromX.add(output.id)
    }
  }
  const toY = new Set([y.id])
  const nodesToY = new Set<number>()
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]!
    if (node.outputs.some((output) => toY.has(output.id))) {
      nodesToY.add(node.id)
      for (const input of Object.values(node.inputs)) toY.add(input.id)
    }
  }
  return tape
    .filter((node) => nodesFromX.has(node.id) && nodesToY.has(node.id))
    .map((node) => ({ ...node, inputs: Object.fromEntries(Object.entries(node.inputs).filter(([, input]) => fromX.has(input.id))) }))
}

function leanGradients(this: EngineInternals, f: () => tf.Tensor, xs: tf.Tensor[], dy?: tf.Tensor, allowNoGradients = false) {
  if (xs.length === 0) throw new Error('gradients() received an empty list of xs.')
  if (dy != null && dy.dtype !== 'float32') throw new Error(`dy must have 'float32' dtype, but has '${dy.dtype}'`)
  const y = this.scopedRun(() => this.startTape(), () => this.endTape(), () => this.tidy('forward', f))
  if (!(y instanceof tf.Tensor)) throw new Error('The result y returned by f() must be a tensor.')
  const tape = nodesBetween(this.state.activeTape!, xs, y)
  if (!allowNoGradients && tape.length === 0) {
    throw new Error('Cannot compute gradient of y=f(x) with respect to x. Make sure that the f you passed encloses all operations that lead from x to y.')
  }
  return this.tidy('backward', () => {
    // A gradient function may hand back one of its dys as an input's gradient (Add, Identity…), so
    // one tensor can be the gradient of several tensors: count its holders and dispose it at zero.
    const gradientOf = new Map<number, tf.Tensor>()
    const holders = new Map<tf.Tensor, number>()
    const assign = (id: number, t: tf.Tensor) => {
      gradientOf.set(id, t)
      holders.set(t, (holders.get(t) ?? 0) + 1)
    }
    const release = (id: number) => {
      const t = gradientOf.get(id)
      if (!t) return
      gradientOf.delete(id)
      const left = holders.get(t)! - 1
      if (left > 0) holders.set(t, left)
      else {
        holders.delete(t)
        if (t !== dy) t.dispose()
      }
    }
    assign(y.id, dy ?? tf.ones(y.shape))
    const requested = new Set(xs.map((x) => x.id))
    const outermost = this.state.gradientDepth === 0
    for (let i = tape.length - 1; i >= 0; i--) {
      const node = tape[i]!
      if (node.gradient == null) throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`)
      const inputGradients = node.gradient(node.outputs.map((o) => gradientOf.get(o.id) ?? null))
      for (const [name, x] of Object.entries(node.inputs)) {
        const compute = inputGradients[name]
        if (compute == null) throw new Error(`Cannot backprop through input ${name}. Available gradients found: ${Object.keys(inputGradients)}.`)
        const dx = this.tidy(compute)
        if (dx.dtype !== 'float32') throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input ${name} must have 'float32' dtype, but has '${dx.dtype}'`)
        if (!tf.util.arraysEqual(dx.shape, x.shape)) {
          throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input '${name}' has shape '${dx.shape}', which does not match the shape of the input '${x.shape}'`)
        }
        const sum = gradientOf.get(x.id)
        if (!sum) {
          assign(x.id, dx)
          continue
        }
        const total = tf.add(sum, dx)
        release(x.id)
        assign(x.id, total)
        if (!holders.has(dx) && dx !== dy) dx.dispose()
      }
      for (const output of node.outputs) if (!requested.has(output.id)) release(output.id)
      if (outermost) node.saved?.forEach((t) => t.dispose())
    }
    const grads = xs.map((x) => gradientOf.get(x.id)!)
    if (outermost) {
      this.state.activeTape!.forEach((node) => node.saved?.forEach((t) => t.dispose()))
      this.state.activeTape = null
    }
    return { value: y, grads }
  })
}

/**
 * Makes every gradient computation (tf.grad(s), variableGrads, optimizers) use leanGradients.
 * Idempotent; returns a function that puts TF.js's own back (for tests).
 */
export function installLeanGradients(): () => void {
  const engine = tf.engine() as unknown as EngineInternals
  const previous = engine.gradients
  engine.gradients = leanGradients as EngineInternals['gradients']
  return () => {
    engine.gradients = previous === (leanGradients as unknown) ? engine.gradients : previous
  }
}
