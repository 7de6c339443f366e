/** Exports as downloads: the output PNG as the engine made it, the sketch with Ganvas metadata. */
import type { ModelManifest } from '../../../../shared/schemas'
import type { PaletteClass } from './palette'
import { bytesToDataUrl, withGanvasMetadata } from './png-text'

export interface SketchFacts {
  /** The model the sketch was drawn for, if any. */
  model: { id: string; manifest: ModelManifest } | null
  direction: string | null
  size: number
  /** The label classes when the sketch is a label map. */
  palette: readonly PaletteClass[] | null
  appVersion: string | null
  created: Date
}

/** What the exported sketch records about itself (read back by any Ganvas PNG reader). */
export function sketchMetadata(facts: SketchFacts): Record<string, unknown> {
  return {
    kind: 'sketch',
    model: facts.model?.manifest.name ?? null,
    modelId: facts.model?.id ?? null,
    family: facts.model?.manifest.family ?? null,
    direction: facts.direction,
    resolution: facts.size,
    modelResolution: facts.model?.manifest.resolution ?? null,
    labels: facts.palette ? facts.palette.map((c) => ({ name: c.name, color: c.color })) : null,
    version: facts.appVersion,
    created: facts.created.toISOString(),
  }
}

/** `ganvas-sketch-<model>-20260314-0926.png`: safe on every file system. */
export function exportFileName(kind: 'sketch' | 'output', modelId: string | null, when: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  const stamp = `${when.getFullYear()}${pad(when.getMonth() + 1)}${pad(when.getDate())}-${pad(when.getHours())}${pad(when.getMinutes())}${pad(when.getSeconds())}`
  const model = modelId ? `-${modelId.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '')}` : ''
  return `ganvas-${kind}${model}-${stamp}.png`
}

/** A PNG blob with the metadata added, as a data URL. */
export async function pngWithMetadata(png: Blob, metadata: Record<string, unknown>): Promise<string> {
  return bytesToDataUrl(withGanvasMetadata(new Uint8Array(await png.arrayBuffer()), metadata))
}

/** Starts a download of a data URL (an anchor with `download`: no file APIs needed). */
export function download(dataUrl: string, fileName: string): void {
  const anchor = document.createElement('a')
  anchor.href = dataUrl
  anchor.download = fileName
  anchor.style.display = 'none'
  document.body.append(anchor)
  anchor.click()
  anchor.remove()
}
