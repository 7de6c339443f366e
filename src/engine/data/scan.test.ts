import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BAD_FILES, writeBadFiles, writePairedShapes, writeUnpairedDomains } from '../../../test/helpers/synthetic-images'
import { DatasetError, scanPaired, scanUnpaired, summarize } from './scan'

let root: string
const dir = (...parts: string[]) => join(root, ...parts)

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ganvas-scan-'))
  await writePairedShapes(dir('aligned'), { count: 5, size: 16, layout: 'aligned', seed: 1 })
  await writePairedShapes(dir('folders'), { count: 4, size: 16, layout: 'folders', seed: 2 })
  await writePairedShapes(dir('split', 'train'), { count: 3, size: 16, layout: 'aligned', seed: 3 })
  await writePairedShapes(dir('split', 'val'), { count: 2, size: 16, layout: 'aligned', seed: 4 })
  await writePairedShapes(dir('bad'), { count: 2, size: 16, layout: 'aligned', seed: 5 })
  await writeBadFiles(dir('bad'))
  await mkdir(dir('bad', 'unrelated'))
  await writeBadFiles(dir('allbad'))
  await mkdir(dir('empty'))
  await writeUnpairedDomains(dir('unpaired'), { count: 3, size: 16, seed: 6 })
})
afterAll(() => rm(root, { recursive: true, force: true }))

describe('scanPaired', () => {
  it('finds side-by-side A|B images and splits each into halves, sorted by name', async () => {
    const d = await scanPaired(dir('aligned'))
    expect(d).toMatchObject({ kind: 'paired', layout: 'aligned', root: dir('aligned'), direction: 'AtoB', skipped: [] })
    expect(d.items.map((i) => i.name)).toEqual(['shape-0000', 'shape-0001', 'shape-0002', 'shape-0003', 'shape-0004'])
    expect(d.items[0]!.a).toEqual({ path: dir('aligned', 'shape-0000.png'), half: 'left', width: 16, height: 16 })
    expect(d.items[0]!.b).toEqual({ path: dir('aligned', 'shape-0000.png'), half: 'right', width: 16, height: 16 })
  })

  it('pairs A/ and B/ by name and swaps roles for BtoA', async () => {
    const d = await scanPaired(dir('folders'))
    expect(d.layout).toBe('folders')
    expect(d.items).toHaveLength(4)
    expect(d.items[1]).toEqual({
      name: 'shape-0001',
      a: { path: dir('folders', 'A', 'shape-0001.png'), width: 16, height: 16 },
      b: { path: dir('folders', 'B', 'shape-0001.png'), width: 16, height: 16 },
    })
    const swapped = await scanPaired(dir('folders'), { direction: 'BtoA' })
    expect(swapped.items[1]!.a.path).toBe(dir('folders', 'B', 'shape-0001.png'))
    expect((await scanPaired(dir('aligned'), { direction: 'BtoA' })).items[0]!.a.half).toBe('right')
  })

  it('uses train/ when the folder holds the reference train/val split', async () => {
    const d = await scanPaired(dir('split'))
    expect(d.root).toBe(dir('split', 'train'))
    expect(d.items).toHaveLength(3)
  })

  it('matches names ignoring case and extension, and explains every unmatched file', async () => {
    const base = dir('matching')
    await writePairedShapes(base, { count: 2, size: 16, layout: 'folders', seed: 7 })
    const png = dir('folders', 'A', 'shape-0000.png')
    await copyFile(png, join(base, 'A', 'Cat.PNG'))
    await copyFile(png, join(base, 'B', 'cat.png'))
    await copyFile(png, join(base, 'A', 'only-in-a.png'))
    await copyFile(png, join(base, 'B', 'only-in-b.png'))
    await copyFile(png, join(base, 'A', 'broken.png'))
    await writeFile(join(base, 'B', 'broken.png'), '')
    await copyFile(png, join(base, 'A', 'shape-0001.webp.png')) // a different stem: unmatched, not a duplicate
    await copyFile(png, join(base, 'A', 'shape-0001.tiff'))
    const d = await scanPaired(base)
    expect(d.items.map((i) => i.name)).toEqual(['Cat', 'shape-0000', 'shape-0001'])
    const reasons = Object.fromEntries(d.skipped.map((s) => [s.path.slice(base.length + 1), s.reason]))
    expect(reasons).toEqual({
      'A/broken.png': 'its partner B/broken.png is unusable',
      'A/only-in-a.png': 'no file with the same name in B/',
      'A/shape-0001.tiff': 'same name as shape-0001.png, which is used instead',
      'A/shape-0001.webp.png': 'no file with the same name in B/',
      'B/broken.png': 'empty file (0 bytes)',
      'B/only-in-b.png': 'no file with the same name in A/',
    })
  })

  it('skips each bad file with its reason, keeps the good ones, ignores hidden files and other folders', async () => {
    const d = await scanPaired(dir('bad'))
    expect(d.items.map((i) => i.name)).toEqual(['shape-0000', 'shape-0001', 'truncated']) // header check only
    const reasons = new Map(d.skipped.map((s) => [basename(s.path), s.reason]))
    expect([...reasons.keys()].sort()).toEqual(['empty.png', 'notes.txt', 'odd-width.png', 'text.jpg', 'tiny.png'])
    for (const [name, reason] of reasons) expect(reason).toMatch(BAD_FILES[name as keyof typeof BAD_FILES])

    const verified = await scanPaired(dir('bad'), { verify: 'decode' })
    expect(verified.items.map((i) => i.name)).toEqual(['shape-0000', 'shape-0001'])
    expect(verified.skipped.find((s) => basename(s.path) === 'truncated.png')?.reason).toMatch(BAD_FILES['truncated.png'])
  })

  it('names image formats our decoder lacks instead of calling them "not an image"', async () => {
    await mkdir(dir('formats'))
    await writeFile(dir('formats', 'old.bmp'), 'BM')
    await copyFile(dir('aligned', 'shape-0000.png'), dir('formats', 'ok.png'))
    const d = await scanPaired(dir('formats'))
    expect(d.skipped).toEqual([{ path: dir('formats', 'old.bmp'), reason: 'BMP images are not supported: convert it to PNG or JPEG' }])
  })

  it('fails with a message saying what is wrong and what to do', async () => {
    await expect(scanPaired(dir('empty'))).rejects.toThrow(
      new DatasetError(`"${dir('empty')}" has no images. Put side-by-side A|B images in the folder, or A/ and B/ subfolders with matching names.`),
    )
    const error = await scanPaired(dir('allbad'), { verify: 'decode' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DatasetError)
    expect((error as Error).message).toMatch(
      /^".*allbad" has no usable image pairs: 6 files skipped \(empty\.png: empty file \(0 bytes\); notes\.txt: not an image \(\.txt\).*; …\)\. Put side-by-side/,
    )
    await expect(scanPaired(dir('missing'))).rejects.toThrow(/"[^"]*missing" does not exist\. Check the path/)
    await expect(scanPaired(dir('aligned', 'shape-0000.png'))).rejects.toThrow(/is a file, not a folder/)
    await mkdir(dir('only-a', 'A'), { recursive: true })
    await expect(scanPaired(dir('only-a'))).rejects.toThrow(/has A\/ but no B\/ subfolder\. Put side-by-side/)
  })
})

describe('scanUnpaired', () => {
  it('reads trainA/ and trainB/, or two folders, and swaps them for BtoA', async () => {
    const d = await scanUnpaired(dir('unpaired'))
    expect(d).toMatchObject({ kind: 'unpaired', dirA: dir('unpaired', 'trainA'), dirB: dir('unpaired', 'trainB'), skipped: [] })
    expect(d.a.map((r) => basename(r.path))).toEqual(['shape-0000.png', 'shape-0001.png', 'shape-0002.png'])
    expect(d.b).toHaveLength(3)
    const separate = await scanUnpaired({ dirA: dir('unpaired', 'trainA'), dirB: dir('folders', 'B') }, { direction: 'BtoA' })
    expect(separate.dirA).toBe(dir('folders', 'B'))
    expect(separate.a).toHaveLength(4)
    expect(separate.b).toHaveLength(3)
  })

  it('fails clearly without both domains', async () => {
    await expect(scanUnpaired(dir('aligned'))).rejects.toThrow(/has no trainA\/ and trainB\/ subfolders\. Put the two sets/)
    await expect(scanUnpaired({ dirA: dir('unpaired', 'trainA'), dirB: dir('empty') })).rejects.toThrow(/empty" has no images\. Both sides need images/)
    await mkdir(dir('unusable'))
    await writeFile(dir('unusable', 'empty.png'), '')
    await writeFile(dir('unusable', 'notes.txt'), 'hello')
    const allBad = scanUnpaired({ dirA: dir('unusable'), dirB: dir('unpaired', 'trainB') })
    await expect(allBad).rejects.toThrow(/unusable" has no usable images: 2 files skipped \(empty\.png: empty file \(0 bytes\); notes\.txt: .*\)\. Both sides need images/)
  })
})

describe('summarize', () => {
  it('is small, JSON-able and names the first skipped files relative to the data folder', async () => {
    const s = summarize(await scanPaired(dir('bad')))
    expect(JSON.parse(JSON.stringify(s))).toEqual(s)
    expect(s).toMatchObject({ kind: 'paired', layout: 'aligned', pairs: 3, skipped: 5, direction: 'AtoB' })
    expect(s.skippedExamples[0]).toEqual({ file: 'empty.png', reason: 'empty file (0 bytes)' })
    expect(summarize(await scanUnpaired(dir('unpaired')))).toMatchObject({ kind: 'unpaired', a: 3, b: 3, skipped: 0 })
  })
})
