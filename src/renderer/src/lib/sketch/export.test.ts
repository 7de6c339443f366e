import { describe, expect, it } from 'vitest'
import { exportFileName, pngWithMetadata, sketchMetadata } from './export'
import { dataUrlToBytes, readPngText } from './png-text'

const ONE_PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='

describe('sketch export', () => {
  it('names files safely, with the model and the time', () => {
    const when = new Date(2026, 2, 14, 9, 26, 5)
    expect(exportFileName('sketch', 'my model/../x', when)).toBe('ganvas-sketch-my-model-x-20260314-092605.png')
    expect(exportFileName('output', null, when)).toBe('ganvas-output-20260314-092605.png')
  })

  it('records the model, size and labels in the metadata', () => {
    const metadata = sketchMetadata({
      model: {
        id: 'facades',
        manifest: {
          format: 'ganvas-model', formatVersion: 1, name: 'Facades', family: 'pix2pix', resolution: 256, channels: 3,
          training: {}, stepsDone: 10, weights: 'w', dataset: null, metrics: {}, created: '2026-01-01T00:00:00Z',
        },
      },
      direction: null,
      size: 512,
      palette: [{ name: 'background', color: '#0000aa' }],
      appVersion: '0.1.0',
      created: new Date('2026-03-14T09:26:05Z'),
    })
    expect(metadata).toMatchObject({ kind: 'sketch', model: 'Facades', modelId: 'facades', family: 'pix2pix', resolution: 512, modelResolution: 256 })
    expect(metadata.labels).toEqual([{ name: 'background', color: '#0000aa' }])
    expect(metadata.created).toBe('2026-03-14T09:26:05.000Z')
  })

  it('adds the metadata to a PNG blob', async () => {
    const blob = new Blob([dataUrlToBytes(ONE_PIXEL)], { type: 'image/png' })
    const url = await pngWithMetadata(blob, { kind: 'sketch' })
    expect(url.startsWith('data:image/png;base64,')).toBe(true)
    expect(JSON.parse(readPngText(dataUrlToBytes(url), 'ganvas')!)).toEqual({ kind: 'sketch' })
  })
})
