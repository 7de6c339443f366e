/**
 * Saving what Faces made: the PNG and GIF data URLs from the host already carry their Ganvas
 * metadata, so saving is a download of those bytes under a name that says what they are.
 */

const slug = (text: string) => text.replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'faces'
const pad = (seed: number) => String(seed).padStart(4, '0')

/** "tiny-faces-seed-0042-cats.png", like `ganvas generate` names its files (with the model in front). */
export function sampleFileName(modelId: string, seed: number, className: string | null): string {
  return `${slug(modelId)}-seed-${pad(seed)}${className ? `-${slug(className)}` : ''}.png`
}

/** "tiny-faces-interp-0001-0042.gif" */
export function interpolationFileName(modelId: string, seedA: number, seedB: number, className: string | null, ext: 'gif' | 'png', frame?: number): string {
  const base = `${slug(modelId)}-interp-${pad(seedA)}-${pad(seedB)}${className ? `-${slug(className)}` : ''}`
  return frame === undefined ? `${base}.${ext}` : `${base}-f${String(frame + 1).padStart(2, '0')}.${ext}`
}

/** Hands a data URL to the browser (or Electron) as a download. */
export function downloadDataUrl(url: string, fileName: string): void {
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
}

/** A dropped or chosen file as a data URL (what images.metadata takes). */
export function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => (typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('the file could not be read')))
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'))
    reader.readAsDataURL(file)
  })
}

/** The PNG signature, base64-encoded: how a PNG's data URL begins whatever its declared type. */
const PNG_BASE64 = 'iVBORw0KGgo'

/**
 * A file's data URL as a PNG one, judged by its bytes rather than its name or declared type (a file
 * saved without an extension reads as application/octet-stream); null when it is not a PNG.
 */
export function asPngDataUrl(dataUrl: string): string | null {
  const comma = dataUrl.indexOf(',')
  if (comma < 0 || !/;base64$/.test(dataUrl.slice(0, comma))) return null
  const payload = dataUrl.slice(comma + 1)
  return payload.startsWith(PNG_BASE64) ? `data:image/png;base64,${payload}` : null
}
