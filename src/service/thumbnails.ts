/**
 * Thumbnails for folder browsing, made here (sharp, off the renderer) and kept in memory: a
 * 10,000-image folder scrolls by asking for the visible ones, and scrolling back costs nothing.
 */
import { stat } from 'node:fs/promises'
import sharp from 'sharp'

const LIMIT = 4000

export class ThumbnailCache {
  readonly #entries = new Map<string, string>()

  async get(path: string, size: number): Promise<string> {
    const info = await stat(path)
    const key = `${path}\0${size}\0${info.mtimeMs}\0${info.size}`
    const hit = this.#entries.get(key)
    if (hit) {
      this.#entries.delete(key)
      this.#entries.set(key, hit)
      return hit
    }
    const data = await sharp(path).rotate().resize(size, size, { fit: 'cover' }).webp({ quality: 80 }).toBuffer()
    const url = `data:image/webp;base64,${data.toString('base64')}`
    this.#entries.set(key, url)
    if (this.#entries.size > LIMIT) this.#entries.delete(this.#entries.keys().next().value!)
    return url
  }
}
