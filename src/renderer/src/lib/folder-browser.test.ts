import { describe, expect, it } from 'vitest'
import { baseName, describeEntries, isWithinRoots, joinPath, parentOf, typeAhead } from './folder-browser'

describe('paths from the host', () => {
  it('joins with the separator the path already uses', () => {
    expect(joinPath('/data', 'trainA')).toBe('/data/trainA')
    expect(joinPath('/', 'data')).toBe('/data')
    expect(joinPath('C:\\Users\\me', 'photos')).toBe('C:\\Users\\me\\photos')
    expect(joinPath('C:\\', 'photos')).toBe('C:\\photos')
  })

  it('names the last part, and a root by itself', () => {
    expect(baseName('/data/trainA')).toBe('trainA')
    expect(baseName('/data/trainA/')).toBe('trainA')
    expect(baseName('C:\\Users\\me')).toBe('me')
    expect(baseName('/')).toBe('/')
    expect(baseName('C:\\')).toBe('C:\\')
  })

  it('finds the parent folder, null at the top', () => {
    expect(parentOf('/data/trainA')).toBe('/data')
    expect(parentOf('/data')).toBe('/')
    expect(parentOf('/')).toBeNull()
    expect(parentOf('C:\\Users')).toBe('C:\\')
    expect(parentOf('C:\\')).toBeNull()
  })

  it('tells whether a path is inside an allowed root, not merely sharing its prefix', () => {
    expect(isWithinRoots('/data/trainA', ['/data'])).toBe(true)
    expect(isWithinRoots('/data', ['/data'])).toBe(true)
    expect(isWithinRoots('/database', ['/data'])).toBe(false)
    expect(isWithinRoots('/other', ['/data', '/home/me'])).toBe(false)
    expect(isWithinRoots('/anything', ['/'])).toBe(true)
  })
})

describe('describeEntries', () => {
  it('counts images, other files and folders in words', () => {
    const entries = [
      { name: 'a', kind: 'dir' as const, size: 0 },
      { name: 'b.png', kind: 'image' as const, size: 1 },
      { name: 'c.png', kind: 'image' as const, size: 1 },
      { name: 'notes.txt', kind: 'file' as const, size: 1 },
    ]
    expect(describeEntries(entries)).toBe('2 images, 1 other file and 1 folder')
    expect(describeEntries(entries.slice(1, 2))).toBe('1 image')
    expect(describeEntries([])).toBe('Empty folder')
  })
})

describe('typeAhead', () => {
  const names = ['apples', 'avocados', 'bananas', 'blueberries', 'cherries']

  it('jumps to the next name starting with a letter, wrapping around', () => {
    expect(typeAhead(names, 'b', 0)).toBe(2)
    expect(typeAhead(names, 'b', 2)).toBe(3)
    expect(typeAhead(names, 'b', 3)).toBe(2)
    expect(typeAhead(names, 'A', 4)).toBe(0)
  })

  it('matches a typed prefix, staying on the current name if it still matches', () => {
    expect(typeAhead(names, 'bl', 2)).toBe(3)
    expect(typeAhead(names, 'av', 1)).toBe(1)
  })

  it('walks names with the same first letter when that letter is repeated', () => {
    expect(typeAhead(names, 'bb', 2)).toBe(3)
  })

  it('finds nothing for an unknown prefix or an empty list', () => {
    expect(typeAhead(names, 'z', 0)).toBeNull()
    expect(typeAhead([], 'a', 0)).toBeNull()
  })
})
