/**
 * Models kept loaded between interactive calls (Sketch redraws, Faces grids): loading a generator
 * takes longer than running it. Keyed by folder, direction and the manifest's current weights, so
 * a model that trained further or was replaced is loaded afresh. The least recently used one is
 * disposed beyond a small limit, to bound memory.
 */
import { readManifest } from '../storage/model-folder'
import { ganvasVersion } from '../version'
import { loadFaceGenerator, type FaceGenerator } from './generate'
import { loadTranslator, type Direction, type Translator } from './translate'

const KEEP = 3

type Loaded = { dispose(): void }
const cache = new Map<string, Promise<Loaded>>()

async function cached<T extends Loaded>(key: string, load: () => Promise<T>): Promise<T> {
  let entry = cache.get(key)
  if (entry) {
    cache.delete(key) // re-insert: Map order is recency order
  } else {
    entry = load()
    entry.catch(() => cache.delete(key))
  }
  cache.set(key, entry)
  while (cache.size > KEEP) {
    const [oldest, evicted] = cache.entries().next().value as [string, Promise<Loaded>]
    cache.delete(oldest)
    void evicted.then((m) => m.dispose(), () => undefined)
  }
  return entry as Promise<T>
}

export async function translatorFor(modelDir: string, direction?: Direction): Promise<Translator> {
  const { weights } = await readManifest(modelDir)
  return cached(`translate\0${modelDir}\0${direction ?? ''}\0${weights}`, () =>
    loadTranslator(modelDir, { version: ganvasVersion, ...(direction ? { direction } : {}) }),
  )
}

export async function faceGeneratorFor(modelDir: string): Promise<FaceGenerator> {
  const { weights } = await readManifest(modelDir)
  return cached(`faces\0${modelDir}\0${weights}`, () => loadFaceGenerator(modelDir, { version: ganvasVersion }))
}
