/** What a dataset scan finds: plain data, JSON-able, shared by scan, decode and the loaders. */

export type Direction = 'AtoB' | 'BtoA'

/** One image, or one half of a side-by-side A|B image, on the user's disk. */
export interface ImageRef {
  path: string
  /** Set for aligned A|B files: which half of the file this image is. */
  half?: 'left' | 'right'
  /** Size of this image (the half, for aligned files) after EXIF orientation. */
  width: number
  height: number
}

export interface Skipped {
  path: string
  reason: string
}

export interface PairedDataset {
  kind: 'paired'
  layout: 'aligned' | 'folders'
  /** The folder the pairs were read from (DIR, or DIR/train when DIR holds a train/ split). */
  root: string
  direction: Direction
  /** Sorted by name; `a` is the model's input and `b` its target (after the direction swap). */
  items: { name: string; a: ImageRef; b: ImageRef }[]
  skipped: Skipped[]
}

export interface UnpairedDataset {
  kind: 'unpaired'
  dirA: string
  dirB: string
  direction: Direction
  /** Each sorted by path. */
  a: ImageRef[]
  b: ImageRef[]
  skipped: Skipped[]
}

/** One folder of images (a face generator's data); with one subfolder per class, labelled. */
export interface ImageFolderDataset {
  kind: 'images'
  root: string
  /** Subfolder names, sorted, when the data is class-conditional; null for one plain folder. */
  classes: string[] | null
  /** Sorted by path; `label` indexes `classes` (0 when unconditional). */
  items: { ref: ImageRef; label: number }[]
  skipped: Skipped[]
}

export type Dataset = PairedDataset | UnpairedDataset | ImageFolderDataset

/** The user's data cannot be used: the message says what is wrong and what to do. */
export class DatasetError extends Error {
  override name = 'DatasetError'
}
