/**
 * Library operations on model folders: rename, delete, export to a zip, import from a zip or a
 * folder, and a run's history. Every write goes to a temporary name first and is renamed into
 * place, so a failed import or export never leaves half a model behind.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { cp, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join, normalize, relative, sep } from 'node:path'
import { Zip, ZipPassThrough, unzip } from 'fflate'
import { writeFileAtomic } from '../engine/storage/atomic-write'
import type { ModelManifest, TrainHistory } from '../shared/schemas'
import { readModelFolder } from './model-library'
import { ServiceError } from './errors'

/** Refuses to unpack more than this (a zip bomb, or not a model). */
const MAX_UNPACKED_BYTES = 8 * 1024 ** 3

export async function renameModel(modelDir: string, name: string): Promise<void> {
  const manifest = await readManifestOrFail(modelDir)
  await writeFileAtomic(join(modelDir, 'manifest.json'), JSON.stringify({ ...manifest, name }, null, 2))
}

/** Every file under `dir`, as paths relative to it with '/' separators, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name)
      if (entry.isDirectory()) await walk(path)
      else if (entry.isFile()) out.push(relative(dir, path).split(sep).join('/'))
    }
  }
  await walk(dir)
  return out.sort()
}

/** `<folder>/<id>.ganvas.zip`, streamed (weights can be hundreds of MB) and stored, not deflated. */
export async function exportModel(modelDir: string, folder: string): Promise<{ path: string; bytes: number }> {
  await readManifestOrFail(modelDir)
  const target = join(folder, `${basename(modelDir)}.ganvas.zip`)
  if (await stat(target).catch(() => null)) {
    throw new ServiceError('invalid_input', `${target} already exists; Ganvas never overwrites files. Choose another folder.`, 'input.folder')
  }
  const temp = `${target}.part-${process.pid}`
  const out = createWriteStream(temp)
  let bytes = 0
  try {
    await new Promise<void>((resolvePromise, reject) => {
      const zip = new Zip((error, chunk, final) => {
        if (error) return reject(error)
        bytes += chunk.length
        out.write(chunk)
        if (final) out.end(resolvePromise)
      })
      void (async () => {
        for (const file of await filesUnder(modelDir)) {
          const entry = new ZipPassThrough(file)
          zip.add(entry)
          for await (const piece of createReadStream(join(modelDir, file))) entry.push(piece as Uint8Array)
          entry.push(new Uint8Array(0), true)
        }
        zip.end()
      })().catch(reject)
    })
    await rename(temp, target)
  } catch (error) {
    out.destroy()
    await rm(temp, { force: true })
    throw error
  }
  return { path: target, bytes }
}

/** Copies a model folder or unpacks a zip from exportModel into `modelDir` (which must not exist). */
export async function importModel(source: string, modelDir: string): Promise<void> {
  if (await stat(modelDir).catch(() => null)) {
    throw new ServiceError('invalid_input', `The library already has a model "${basename(modelDir)}": choose another name.`, 'input.model')
  }
  const info = await stat(source)
  const temp = join(dirname(modelDir), `.importing-${basename(modelDir)}-${process.pid}`)
  await rm(temp, { recursive: true, force: true })
  try {
    if (info.isDirectory()) {
      await readManifestOrFail(source)
      await cp(source, temp, { recursive: true, errorOnExist: true, force: false })
    } else {
      await unpackZip(await readFile(source), temp)
    }
    await readManifestOrFail(temp)
    await rename(temp, modelDir)
  } catch (error) {
    await rm(temp, { recursive: true, force: true })
    throw error
  }
}

async function unpackZip(bytes: Uint8Array, into: string): Promise<void> {
  let total = 0
  const files = await new Promise<Record<string, Uint8Array>>((resolvePromise, reject) =>
    unzip(
      bytes,
      {
        filter: (file) => {
          total += file.originalSize
          if (total > MAX_UNPACKED_BYTES) throw new ServiceError('invalid_input', 'This zip unpacks to more than 8 GB: it is not a Ganvas model.')
          return !file.name.endsWith('/')
        },
      },
      (error, data) => (error ? reject(new ServiceError('invalid_input', `This file is not a readable zip (${error.message}).`)) : resolvePromise(data)),
    ),
  )
  const names = Object.keys(files)
  // A zip of the folder itself (model/manifest.json …) or of its contents (manifest.json …).
  const prefix = names.includes('manifest.json') ? '' : (names.find((n) => /^[^/]+\/manifest\.json$/.test(n))?.split('/')[0] ?? null)
  if (prefix === null) throw new ServiceError('invalid_input', 'This zip has no manifest.json: it is not a Ganvas model export.')
  for (const name of names) {
    if (prefix && !name.startsWith(`${prefix}/`)) continue
    const relativeName = prefix ? name.slice(prefix.length + 1) : name
    const path = normalize(join(into, relativeName))
    // Zip-slip: an entry like ../../.bashrc must not land outside the new folder.
    if (relative(into, path).startsWith('..') || relativeName.includes('\0')) {
      throw new ServiceError('invalid_input', `This zip tries to write outside its folder (${name}); it was not imported.`)
    }
    await mkdir(dirname(path), { recursive: true })
    await writeFileAtomic(path, files[name]!)
  }
}

async function readManifestOrFail(modelDir: string): Promise<ModelManifest> {
  const { manifest, problem } = await readModelFolder(modelDir)
  if (!manifest) throw new ServiceError('invalid_input', `${modelDir}: ${problem}.`)
  return manifest
}

/** history.jsonl (last line per step wins: a resumed run repeats steps after its checkpoint) and samples/. */
export async function readHistory(modelDir: string): Promise<TrainHistory> {
  const text = await readFile(join(modelDir, 'history.jsonl'), 'utf8').catch(() => '')
  const byStep = new Map<number, TrainHistory['entries'][number]>()
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    try {
      const entry = JSON.parse(line) as { step?: unknown; time?: unknown; metrics?: unknown }
      if (typeof entry.step !== 'number' || typeof entry.metrics !== 'object' || entry.metrics === null) continue
      const metrics = Object.fromEntries(Object.entries(entry.metrics).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)))
      byStep.set(entry.step, { step: entry.step, time: typeof entry.time === 'number' ? entry.time : 0, metrics })
    } catch {
      // A torn last line (the run was killed mid-write) is skipped.
    }
  }
  const samples = (await readdir(join(modelDir, 'samples')).catch(() => [] as string[]))
    .map((name) => ({ name, match: /^step-(\d+)\.png$/.exec(name) }))
    .filter((s) => s.match)
    .map((s) => ({ step: Number(s.match![1]), path: join(modelDir, 'samples', s.name) }))
    .sort((a, b) => a.step - b.step)
  return { entries: [...byStep.values()].sort((a, b) => a.step - b.step), samples }
}
