import { describe, expect, it } from 'vitest'
import { countProblem, isInside, joinPath, outputProblem, parentOf, startProblem, suggestedFolderName } from './dataset-form'

describe('the data-set form', () => {
  const roots = ['/home/ana/.ganvas', '/data']

  it('accepts a new folder whose parent is an allowed folder or inside one', () => {
    expect(outputProblem('/home/ana/.ganvas/pets-dataset', roots)).toBeNull()
    expect(outputProblem('/data/sets/new', roots)).toBeNull()
    expect(outputProblem('  /data/x  ', roots)).toBeNull()
  })

  it('says what is wrong with the folder', () => {
    expect(outputProblem('', roots)).toMatch(/Choose where the images go/)
    expect(outputProblem('pets', roots)).toMatch(/full path, starting with “\/home\/ana\/.ganvas”/)
    expect(outputProblem('/data/../etc/x', roots)).toMatch(/without “..”/)
    expect(outputProblem('/data', roots)).toMatch(/must be inside one of: “\/home\/ana\/.ganvas”, “\/data”/)
    expect(outputProblem('/database/x', roots)).toMatch(/must be inside/)
    expect(outputProblem('/elsewhere/x', ['/data'])).toMatch(/must be inside “\/data” \(the folders this session may write into\)/)
    expect(outputProblem('/', roots)).toMatch(/not the top of the disk/)
  })

  it('handles Windows paths from a Windows host', () => {
    expect(outputProblem('C:\\Users\\ana\\ganvas\\out', ['c:\\users\\ana\\ganvas'])).toBeNull()
    expect(joinPath('C:\\Users\\ana', 'out')).toBe('C:\\Users\\ana\\out')
    expect(parentOf('C:\\Users\\ana')).toBe('C:\\Users')
    expect(parentOf('C:\\Users')).toBe('C:\\')
  })

  it('joins and splits POSIX paths', () => {
    expect(joinPath('/data/', 'x')).toBe('/data/x')
    expect(joinPath('/', 'x')).toBe('/x')
    expect(parentOf('/data/x/')).toBe('/data')
    expect(parentOf('/data')).toBe('/')
    expect(parentOf('/')).toBeNull()
    expect(isInside('/data', '/data/')).toBe(true)
    expect(isInside('/data2', '/data')).toBe(false)
  })

  it('checks the count and the first seed', () => {
    expect(countProblem(10)).toBeNull()
    expect(countProblem(0)).toMatch(/at least 1/)
    expect(countProblem(2.5)).toMatch(/whole number/)
    expect(countProblem(Number.NaN)).toMatch(/whole number/)
    expect(countProblem(100_001)).toMatch(/At most 100,000/)
    expect(startProblem(0, 10)).toBeNull()
    expect(startProblem(-1, 10)).toMatch(/from 0/)
    expect(startProblem(4294967290, 10)).toMatch(/run past/)
  })

  it('suggests a folder name from the model and class', () => {
    expect(suggestedFolderName('Tiny faces')).toBe('tiny-faces-dataset')
    expect(suggestedFolderName('pets', 'Big Cats')).toBe('pets-big-cats-dataset')
    expect(suggestedFolderName('???')).toBe('faces-dataset')
  })
})
