import { open } from 'node:fs/promises'

/**
 * A file's bytes in an ArrayBuffer of their own, read with as few reads as the OS allows:
 * `fs.promises.readFile` reads in 512 KiB pieces into a Buffer slice, which costs several times the
 * rest of loading a model (25 ms of 42 for a DCGAN generator) and then needs a copy to own its bytes.
 */
export async function readWholeFile(path: string): Promise<ArrayBuffer> {
  const file = await open(path, 'r')
  try {
    const { size } = await file.stat()
    const bytes = new Uint8Array(size)
    for (let done = 0; done < size; ) {
      const { bytesRead } = await file.read(bytes, done, size - done, done)
      if (bytesRead === 0) throw new Error(`${path} ended after ${done} of ${size} bytes (was it changed while being read?)`)
      done += bytesRead
    }
    return bytes.buffer
  } finally {
    await file.close()
  }
}
