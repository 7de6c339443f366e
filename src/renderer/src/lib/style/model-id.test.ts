import { describe, expect, it } from 'vitest'
import { deriveModelId, modelIdProblem } from './model-id'

// The contract's ModelId rule, repeated here so a drift between the two fails this test.
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/

describe('deriveModelId', () => {
  it('keeps letters, digits, spaces, dots, dashes and underscores', () => {
    expect(deriveModelId('Monet 2_v1.5-final')).toBe('Monet 2_v1.5-final')
  })

  it('replaces other characters with a dash and folds accents', () => {
    expect(deriveModelId('Van Gogh → my photos!')).toBe('Van Gogh - my photos')
    expect(deriveModelId('Café/Crème: été')).toBe('Cafe-Creme- ete')
    expect(deriveModelId('a//..\\b')).toBe('a-..-b')
  })

  it('starts with a letter or digit and never ends with a dot, dash or space', () => {
    expect(deriveModelId('  ..hidden  ')).toBe('hidden')
    expect(deriveModelId('_draft')).toBe('draft')
    expect(deriveModelId('night. ')).toBe('night')
    expect(deriveModelId('sea!!')).toBe('sea')
  })

  it('collapses runs of whitespace', () => {
    expect(deriveModelId('summer\t\n  to   winter')).toBe('summer to winter')
  })

  it('is empty when nothing usable is left', () => {
    expect(deriveModelId('')).toBe('')
    expect(deriveModelId('日本 🌸')).toBe('')
  })

  it('avoids the device names Windows reserves', () => {
    expect(deriveModelId('CON')).toBe('CON-model')
    expect(deriveModelId('lpt1.txt')).toBe('lpt1.txt-model')
    expect(deriveModelId('console')).toBe('console')
  })

  it('caps the length at 100 and always satisfies the contract', () => {
    expect(deriveModelId('x'.repeat(300))).toHaveLength(100)
    for (const name of ['Van Gogh → my photos!', '  -- a --  ', 'é', 'CON', '1', 'a'.repeat(99) + ' .b']) {
      const id = deriveModelId(name)
      if (id !== '') expect(id, name).toMatch(MODEL_ID)
    }
  })
})

describe('modelIdProblem', () => {
  const library = ['Monet', 'horse2zebra']

  it('accepts a new name', () => {
    expect(modelIdProblem('Summer to winter', 'Summer to winter', library)).toBeNull()
  })

  it('asks for a name when there is none, and for letters when none survive', () => {
    expect(modelIdProblem('  ', '', library)).toMatch(/Give the new model a name/)
    expect(modelIdProblem('🌸', '', library)).toMatch(/at least one letter or digit/)
  })

  it('refuses a folder name already in the library, ignoring case, naming the existing one', () => {
    expect(modelIdProblem('monet', 'monet', library)).toMatch(/already a model .* “Monet”/)
    expect(modelIdProblem('Horse2Zebra', 'Horse2Zebra', library)).toMatch(/“horse2zebra”/)
  })
})
