import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname, basename, join } from 'node:path'

/**
 * Write a file so that readers see either the old or the new content, never half of it:
 * write to a temp name in the same folder, fsync, then rename over the target.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, 'w')
  try {
    await handle.writeFile(data)
    await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(temp, { force: true })
    throw error
  }
  await handle.close()
  await rename(temp, path)
}

/**
 * Write a folder of files that appears all at once: everything goes into a hidden temp folder
 * beside the target, is fsynced, and the folder is renamed into place. A crash leaves at most
 * a stray temp folder, never a half-written target.
 */
export async function writeFolderAtomic(target: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
  await mkdir(temp, { recursive: true })
  try {
    for (const [name, data] of Object.entries(files)) {
      const path = join(temp, name)
      await mkdir(dirname(path), { recursive: true })
      const handle = await open(path, 'w')
      try {
        await handle.writeFile(data)
        await handle.sync()
      } finally {
        await handle.close()
      }
    }
    await rename(temp, target)
  } catch (error) {
    await rm(temp, { recursive: true, force: true })
    throw error
  }
}
