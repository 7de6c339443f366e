import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeBadFiles, writeUnpairedDomains } from '../../../test/helpers/synthetic-images'
import { ImageFolderLoader } from './loader'
import { summarize } from './scan'
import { scanImages } from './scan-images'
import { DatasetError } from './types'

let root: string
const dir = (...parts: string[]) => join(root, ...parts)

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ganvas-scan-images-'))
  await writeUnpairedDomains(dir('classes'), { count: 3, size: 16, seed: 1 }) // trainA/ and trainB/: two classes
  await mkdir(dir('classes', 'empty-class'))
  await writeUnpairedDomains(dir('nested'), { count: 2, size: 16, seed: 2 })
  await writeBadFiles(dir('classes', 'trainA'))
  await mkdir(dir('junk'))
  await writeFile(dir('junk', 'notes.txt'), 'not an image')
  await writeFile(dir('junk', 'broken.png'), 'not a png either')
})
afterAll(() => rm(root, { recursive: true, force: true }))

describe('scanImages', () => {
  it('reads one folder of images as unconditional data', async () => {
    const d = await scanImages(dir('nested', 'trainA'))
    expect(d).toMatchObject({ kind: 'images', classes: null, skipped: [] })
    expect(d.items.map((i) => i.label)).toEqual([0, 0])
  })

  it('makes each subfolder a class when the folder itself has no images; bad files and empty classes are skipped with reasons', async () => {
    const d = await scanImages(dir('classes'), { verify: 'decode' })
    expect(d.classes).toEqual(['trainA', 'trainB'])
    // BAD_FILES' odd-width.png is a fine single image (it is only bad as a side-by-side pair).
    expect(d.items.filter((i) => i.label === 0)).toHaveLength(4)
    expect(d.items.filter((i) => i.label === 1)).toHaveLength(3)
    expect(d.skipped.find((s) => s.path.endsWith('empty-class'))?.reason).toMatch(/no usable images/)
    expect(d.skipped.length).toBeGreaterThan(3)
    expect(summarize(d)).toMatchObject({ kind: 'images', images: 7, classes: { trainA: 4, trainB: 3 } })
  })

  it('refuses a folder with nothing usable, saying what to put there', async () => {
    await expect(scanImages(dir('junk'))).rejects.toThrow(DatasetError)
    await expect(scanImages(dir('junk'))).rejects.toThrow(/no usable images.*subfolder per class/)
    await expect(scanImages(dir('missing'))).rejects.toThrow(/does not exist/)
  })

  it('loads whole images with their labels, a shuffle of every image per epoch', async () => {
    const loader = new ImageFolderLoader(await scanImages(dir('classes'), { verify: 'decode' }), { size: 16, loadSize: 16, batch: 7, seed: 1 })
    const batch = await loader.next()
    expect(batch.b).toBeNull()
    expect(Array.from(batch.labels!).sort()).toEqual([0, 0, 0, 0, 1, 1, 1])
    const labelOf = Object.fromEntries(batch.names.map((name, i) => [name, batch.labels![i]]))
    expect(labelOf['odd-width']).toBe(0)
    expect(new Set(batch.names).size).toBe(4) // shape-0000…0002 in both classes, odd-width in one
    await loader.dispose()
  })
})
