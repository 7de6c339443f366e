/**
 * What the Style section is working on — the two folders and their scans, the training form, the
 * run it started, and what is being applied — kept for the whole session, so leaving the section
 * (to watch Train, say) and coming back finds everything where it was.
 */
import type { DatasetScan } from '../../../../shared/schemas'
import type { Direction } from '../../../../shared/training'
import { errorText, type GanvasClient } from '../client'
import { defaultStyleForm, type StyleTrainForm } from './train-form'

/** A folder the user picked and what datasets.scan found in it. */
export class FolderScan {
  path = $state('')
  scan = $state.raw<DatasetScan | null>(null)
  scanning = $state(false)
  error = $state<string | null>(null)
  #request = 0

  /** Scans `path`; a newer pick wins over an older scan still running. */
  async load(client: GanvasClient, path: string): Promise<void> {
    const request = ++this.#request
    this.path = path
    this.scanning = true
    this.error = null
    try {
      const scan = await client.call('datasets.scan', { dir: path, layout: 'images' })
      if (request !== this.#request) return
      this.scan = scan
    } catch (error) {
      if (request !== this.#request) return
      this.scan = null
      this.error = errorText(error)
    } finally {
      if (request === this.#request) this.scanning = false
    }
  }

  /** Usable images for CycleGAN: those directly in the folder (class subfolders are not read). */
  get usable(): number {
    return this.scan && this.scan.classes === null && this.scan.problem === null ? this.scan.images.length : 0
  }
}

export class StyleSession {
  readonly a = new FolderScan()
  readonly b = new FolderScan()
  form = $state<StyleTrainForm>({ ...defaultStyleForm })
  /** The training run started from this section, and its model's id. */
  trainJobId = $state<string | null>(null)
  trainModelId = $state<string | null>(null)

  // Apply.
  applyModel = $state('')
  direction = $state<Direction>('AtoB')
  readonly input = new FolderScan()
  /** The image chosen for the before/after preview. */
  previewPath = $state<string | null>(null)
  output = $state('')
  /** True once the user edits the output folder; until then it follows the input and model. */
  outputEdited = $state(false)
  translateJobId = $state<string | null>(null)
  /** Image paths found in the output folder. */
  results = $state.raw<readonly string[]>([])
}

/** One per window: the studio has a single Style section. */
export const styleSession = new StyleSession()
