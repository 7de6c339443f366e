import { describe, expect, it } from 'vitest'
import { defaultOutputFolder, imagePaths } from './apply'

describe('defaultOutputFolder', () => {
  it('puts results beside the input folder when that is allowed', () => {
    expect(defaultOutputFolder('/data/photos', 'monet', ['/data'])).toBe('/data/photos-monet')
  })

  it('uses a subfolder when the input folder is itself an allowed root', () => {
    expect(defaultOutputFolder('/data/photos', 'monet', ['/data/photos'])).toBe('/data/photos/monet results')
  })

  it('keeps the folder name safe and follows Windows separators', () => {
    expect(defaultOutputFolder('C:\\Users\\me\\photos', 'Van Gogh', ['C:\\Users\\me'])).toBe('C:\\Users\\me\\photos-Van Gogh')
  })
})

describe('imagePaths', () => {
  it('keeps only images, as absolute paths in listing order', () => {
    const entries = [
      { name: 'sub', kind: 'dir' as const, size: 0 },
      { name: 'a.png', kind: 'image' as const, size: 10 },
      { name: 'notes.txt', kind: 'file' as const, size: 3 },
      { name: 'b.png', kind: 'image' as const, size: 10 },
    ]
    expect(imagePaths('/out', entries)).toEqual(['/out/a.png', '/out/b.png'])
  })
})
