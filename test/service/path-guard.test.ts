import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listFolder } from '../../src/service/files'
import { PathGuard } from '../../src/service/path-guard'

let base: string
const guard = new PathGuard()

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'ganvas-guard-'))
  await mkdir(join(base, 'root/sub/deeper'), { recursive: true })
  await mkdir(join(base, 'root2'), { recursive: true })
  await mkdir(join(base, 'secret'), { recursive: true })
  await writeFile(join(base, 'secret/key.txt'), 'top secret')
  await writeFile(join(base, 'root/sub/cat.JPG'), 'not really a jpeg')
  await writeFile(join(base, 'root/sub/notes.txt'), 'hello')
  await writeFile(join(base, 'root/sub/.hidden'), '')
  await symlink(join(base, 'secret'), join(base, 'root/escape'))
  await guard.addRoot(join(base, 'root'))
})
afterAll(() => rm(base, { recursive: true, force: true }))

describe('PathGuard', () => {
  it('allows the root and what is inside it', async () => {
    await expect(guard.check(join(base, 'root'))).resolves.toContain('root')
    await expect(guard.check(join(base, 'root/sub/deeper'))).resolves.toMatch(/deeper$/)
  })

  it('refuses paths outside, .. traversal, sibling prefixes and symlink escapes', async () => {
    for (const path of [
      join(base, 'secret'),
      join(base, 'root/../secret'),
      join(base, 'root2'),
      join(base, 'root/escape'),
      join(base, 'root/escape/key.txt'),
      '/etc',
    ]) {
      await expect(guard.check(path), path).rejects.toMatchObject({ code: 'forbidden', field: 'input.path' })
    }
  })

  it('refuses relative and missing paths with a clear reason', async () => {
    await expect(guard.check('root/sub')).rejects.toMatchObject({ code: 'invalid_input' })
    await expect(guard.check(join(base, 'root/nope'))).rejects.toMatchObject({ code: 'not_found' })
  })
})

describe('listFolder', () => {
  it('lists folders first, classifies images, hides dotfiles, and stops the parent at the root', async () => {
    const listing = await listFolder(guard, join(base, 'root/sub'))
    expect(listing.entries.map((e) => [e.name, e.kind])).toEqual([
      ['deeper', 'dir'],
      ['cat.JPG', 'image'],
      ['notes.txt', 'file'],
    ])
    expect(listing.parent).toMatch(/root$/)
    expect((await listFolder(guard, join(base, 'root'))).parent).toBeNull()
  })

  it('refuses a file where a folder is expected', async () => {
    await expect(listFolder(guard, join(base, 'root/sub/notes.txt'))).rejects.toMatchObject({ code: 'invalid_input' })
  })
})
