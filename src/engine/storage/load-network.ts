/**
 * Loads a saved TF.js layers network (model.json + weights.bin) with one copy of its weights.
 *
 * tf.loadLayersModel reads the file into a fresh buffer, copies each weight out of it, copies that
 * into the backend and first fills every variable with zeros from a JS array: four passes over the
 * weights, which made loading slower than PyTorch's. Here the network is built with placeholder
 * zeros as TF.js builds it, and on wasm each variable's bytes are then read from the file straight
 * into its place in the wasm heap. Other backends get tensors viewing one read of the file.
 * Anything this path does not handle (quantised or non-float32 weights, a Sequential model) goes
 * through TF.js's loader.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import type { WasmBackendLike } from '../backend/wasm-kernels'
import { readWholeFile } from './read-file'

interface WeightsGroup {
  paths: string[]
  weights: tf.io.WeightsManifestEntry[]
}

/** Reads `dir`/model.json and `dir`/weights.bin; errors name the file and say what is wrong. */
export async function loadLayersNetwork(dir: string): Promise<tf.LayersModel> {
  const jsonPath = join(dir, 'model.json')
  const weightsPath = join(dir, 'weights.bin')
  const modelJson = JSON.parse(await readFile(jsonPath, 'utf8')) as { modelTopology?: unknown; weightsManifest?: WeightsGroup[] }
  const group = modelJson.weightsManifest?.[0]
  const topology = modelJson.modelTopology as { model_config?: unknown; class_name?: unknown; config?: unknown } | undefined
  if (topology == null || typeof topology !== 'object' || group == null || !Array.isArray(group.weights)) {
    throw new Error(`${jsonPath} is not a TF.js layers model`)
  }
  const specs = group.weights
  const keras = (topology.model_config ?? topology) as KerasConfig
  const functional = keras.class_name === 'Model' || keras.class_name === 'Functional'
  if (!functional || specs.some((s) => s.dtype !== 'float32' || s.quantization != null)) {
    const weightData = await readWholeFile(weightsPath)
    return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology as tf.io.ModelJSON['modelTopology'], weightSpecs: specs, weightData }))
  }
  const model = buildWithPlaceholderWeights(keras)
  try {
    const targets = weightTargets(model, specs, jsonPath)
    if (tf.getBackend() === 'wasm') readIntoWasmHeap(weightsPath, targets)
    else await readIntoTensors(weightsPath, targets)
    return model
  } catch (error) {
    model.dispose()
    throw error
  }
}

type KerasConfig = { class_name: string; config: Record<string, unknown> }

/**
 * The network with every weight zero-filled instead of drawn from its initialiser, as
 * tf.loadLayersModel builds it when weights follow: the fast-init flag of LayersModel.fromConfig.
 */
function buildWithPlaceholderWeights(topology: KerasConfig): tf.LayersModel {
  const config = camelCaseConfig(topology.config, undefined) as tf.serialization.ConfigDict
  return tf.LayersModel.fromConfig(tf.LayersModel, config, {}, true) as tf.LayersModel
}

/**
 * The saved topology is in Keras's snake_case; fromConfig takes the camelCase form that TF.js's
 * deserialiser converts it to: keys and string values camel-cased, except layer names and the
 * layer names that open inbound-node and input/output entries.
 */
function camelCaseConfig(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string') return camelCase(value)
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    const keepsNames = key === 'inboundNodes' || key === 'inputLayers' || key === 'outputLayers'
    return value.map((item, i) => (keepsNames && i === 0 && typeof item === 'string' ? item : camelCaseConfig(item, key)))
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (k === 'name' && typeof v === 'string') out[k] = v
    else out[camelCase(k)] = camelCaseConfig(v, camelCase(k))
  }
  return out
}

const camelCase = (s: string) => (s.length > 1 && s.includes('_') ? s.replace(/_+(\w|$)/g, (_, c: string) => c.toUpperCase()) : s)

interface Target {
  variable: tf.Variable
  /** Where its bytes start in weights.bin. */
  offset: number
  bytes: number
}

/** Each weight of the network with its place in weights.bin; the same checks as TF.js's strict load. */
function weightTargets(model: tf.LayersModel, specs: tf.io.WeightsManifestEntry[], jsonPath: string): Target[] {
  const byName = new Map(model.weights.map((w) => [w.originalName, w]))
  const targets: Target[] = []
  let offset = 0
  for (const spec of specs) {
    const bytes = tf.util.sizeFromShape(spec.shape) * 4
    const weight = byName.get(spec.name)
    if (weight == null) throw new Error(`${jsonPath} lists weight "${spec.name}", which the network does not have`)
    if (weight.shape.join() !== spec.shape.join()) {
      throw new Error(`${jsonPath}: weight "${spec.name}" is [${spec.shape}] in the file but [${weight.shape}] in the network`)
    }
    byName.delete(spec.name)
    targets.push({ variable: weight.read() as tf.Variable, offset, bytes })
    offset += bytes
  }
  if (byName.size > 0) throw new Error(`${jsonPath} has no values for ${byName.size} weights of the network: ${[...byName.keys()].join(', ')}`)
  return targets
}

function checkSize(weightsPath: string, size: number, targets: Target[]) {
  const expected = targets.reduce((sum, t) => sum + t.bytes, 0)
  if (size !== expected) {
    throw new Error(`${weightsPath} holds ${size} bytes but model.json describes ${expected}: the file is truncated or belongs to another model`)
  }
}

/**
 * Synchronous reads on purpose: each goes into a view of the heap taken just before it, and a heap
 * that grew meanwhile (another request allocating between awaits) would leave the view detached.
 */
function readIntoWasmHeap(weightsPath: string, targets: Target[]) {
  const backend = tf.backend() as unknown as WasmBackendLike
  const fd = openSync(weightsPath, 'r')
  try {
    checkSize(weightsPath, fstatSync(fd).size, targets)
    for (const { variable, offset, bytes } of targets) {
      const floats = backend.typedArrayFromHeap(variable)
      const into = new Uint8Array(floats.buffer, floats.byteOffset, bytes)
      for (let done = 0; done < bytes; ) {
        const read = readSync(fd, into, done, bytes - done, offset + done)
        if (read === 0) throw new Error(`${weightsPath} ended early (was it changed while being read?)`)
        done += read
      }
    }
  } finally {
    closeSync(fd)
  }
}

async function readIntoTensors(weightsPath: string, targets: Target[]) {
  const data = await readWholeFile(weightsPath)
  checkSize(weightsPath, data.byteLength, targets)
  for (const { variable, offset, bytes } of targets) {
    tf.tidy(() => variable.assign(tf.tensor(new Float32Array(data, offset, bytes / 4), variable.shape, 'float32')))
  }
}
