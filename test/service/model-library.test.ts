import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { listModels } from '../../src/service/model-library'
import { sampleManifest } from '../helpers/sample-manifest'
import { tempHome } from '../helpers/temp-home'

let cleanup = async () => {}
afterEach(() => cleanup())

describe('listModels', () => {
  it('is empty when the library does not exist yet', async () => {
    expect(await listModels('/nonexistent/ganvas/models')).toEqual([])
  })

  it('lists model folders placed by hand, with the problem of broken ones named', async () => {
    const temp = await tempHome()
    cleanup = temp.cleanup
    const { models } = temp.home
    const add = async (name: string, manifest?: string) => {
      await mkdir(join(models, name), { recursive: true })
      if (manifest !== undefined) await writeFile(join(models, name, 'manifest.json'), manifest)
    }
    await add('shoes', JSON.stringify(sampleManifest))
    await add('empty')
    await add('garbled', '{ not json')
    await add('wrong', JSON.stringify({ ...sampleManifest, family: 'stylegan9' }))
    await add('.trash', JSON.stringify(sampleManifest))
    const list = await listModels(models)
    expect(list.map((m) => m.id)).toEqual(['empty', 'garbled', 'shoes', 'wrong'])
    const byId = Object.fromEntries(list.map((m) => [m.id, m]))
    expect(byId.shoes).toMatchObject({ manifest: { name: 'Edges to shoes', stepsDone: 1200 }, problem: null })
    expect(byId.empty?.problem).toMatch(/manifest.json is missing/)
    expect(byId.garbled?.problem).toMatch(/not valid JSON/)
    expect(byId.wrong?.problem).toMatch(/^manifest.json: family: /)
  })
})
