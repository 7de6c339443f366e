import { describe, expect, it } from 'vitest'
import { asPngDataUrl, interpolationFileName, sampleFileName } from './downloads'

describe('file names of saved images', () => {
  it('name the model, seed and class like ganvas generate does', () => {
    expect(sampleFileName('tiny-faces', 42, null)).toBe('tiny-faces-seed-0042.png')
    expect(sampleFileName('pets', 123456, 'big cats')).toBe('pets-seed-123456-big_cats.png')
    expect(sampleFileName('../evil/', 1, '../x')).toBe('evil-seed-0001-x.png')
    expect(interpolationFileName('pets', 1, 42, 'cats', 'gif')).toBe('pets-interp-0001-0042-cats.gif')
    expect(interpolationFileName('pets', 1, 42, null, 'png', 4)).toBe('pets-interp-0001-0042-f05.png')
  })
})

describe('a chosen or dropped file as a PNG data URL', () => {
  const png = 'iVBORw0KGgoAAAANSUhEUg=='
  it('goes by the bytes, not the declared type', () => {
    expect(asPngDataUrl(`data:image/png;base64,${png}`)).toBe(`data:image/png;base64,${png}`)
    expect(asPngDataUrl(`data:application/octet-stream;base64,${png}`)).toBe(`data:image/png;base64,${png}`)
    expect(asPngDataUrl('data:image/png;base64,/9j/4AAQSkZJRg==')).toBeNull() // a JPEG named .png
    expect(asPngDataUrl('data:text/plain,hello')).toBeNull()
    expect(asPngDataUrl('nonsense')).toBeNull()
  })
})
