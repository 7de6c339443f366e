import { describe, expect, it } from 'vitest'
import { exportFileName, formatBytes, importProblem, importSourceKind, suggestImportName } from './library'

describe('model library helpers', () => {
  it('names the export zip after the model id', () => {
    expect(exportFileName('shapes')).toBe('shapes.ganvas.zip')
  })

  it('tells a zip from a folder and suggests a free name', () => {
    expect(importSourceKind('/x/shapes.ganvas.zip')).toBe('zip')
    expect(importSourceKind('/x/SHAPES.ZIP ')).toBe('zip')
    expect(importSourceKind('/x/shapes/')).toBe('folder')
    expect(suggestImportName('/x/shapes.ganvas.zip', ['shapes'])).toBe('shapes 2')
    expect(suggestImportName('/x/my model/', [])).toBe('my model')
  })

  it('checks an import before sending it', () => {
    expect(importProblem('', 'a', [])).toMatch(/^Enter the path/)
    expect(importProblem('shapes.zip', 'a', [])).toMatch(/full path/)
    expect(importProblem('C:\\exports\\shapes.ganvas.zip', 'a', [])).toBeNull()
    expect(importProblem('/x/shapes.ganvas.zip', 'shapes', ['shapes'])).toMatch(/already has/)
    expect(importProblem('/x/shapes.ganvas.zip', 'shapes 2', ['shapes'])).toBeNull()
  })

  it('reads sizes in words', () => {
    expect(formatBytes(512)).toBe('512 bytes')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(12.4 * 1024 * 1024)).toBe('12.4 MB')
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MB')
  })
})
