/**
 * The preload runs sandboxed: it can require only `electron`, and everything else must be bundled
 * into index.cjs. Bundle it the way electron.vite.config.ts does and check it stays small and zod-free
 * (main validates every call; the preload only carries them).
 */
import { resolve } from 'node:path'
import { build, type Rollup } from 'vite'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

async function bundlePreload(): Promise<string> {
  const result = await build({
    configFile: false,
    root,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: resolve(root, 'src/preload/index.ts'), formats: ['cjs'], fileName: 'index' },
      rollupOptions: { external: ['electron'] },
    },
  })
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[]
  const chunks = outputs.flatMap((o) => o.output).filter((o): o is Rollup.OutputChunk => o.type === 'chunk')
  expect(chunks).toHaveLength(1) // one file: a sandboxed preload cannot load sibling chunks
  return chunks[0]!.code
}

describe('preload bundle', () => {
  it('requires nothing but electron and contains no zod', async () => {
    const code = await bundlePreload()
    const required = [...code.matchAll(/require\((["'`])([^"'`]+)\1\)/g)].map((m) => m[2])
    expect(new Set(required)).toEqual(new Set(['electron']))
    expect(code).not.toMatch(/zod|ZodError|safeParse/)
    expect(code).toContain('exposeInMainWorld')
    expect(code.length).toBeLessThan(8_000)
  })
})
