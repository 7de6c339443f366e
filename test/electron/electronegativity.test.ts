/**
 * Electronegativity (Doyensec's Electron security linter) over the code that runs in Electron's
 * privileged processes: src/main, src/preload, src/shared, plus the renderer's index.html with the
 * CSP the build injects. Anything above informational fails, unless it is in ACCEPTED with a reason.
 * Sources, not out/: its parser cannot read the built bundles (class private fields), and a file it
 * cannot parse turns into false "missing navigation limits / permission handler" findings.
 */
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import viteConfig from '../../electron.vite.config'

interface Finding {
  id: string
  file: string
  line: number
  severity: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH'
  confidence: string
  manualReview: boolean
  description: string
}

/** Reviewed findings: check id and file (relative to the scanned folder), and why it is acceptable. */
const ACCEPTED: ReadonlyArray<{ id: string; file: string; reason: string }> = [
  {
    id: 'CONTEXT_ISOLATION_JS_CHECK',
    file: 'main/window.ts',
    reason:
      'webPreferences come from secureWebPreferences() (contextIsolation: true); the linter only reads object literals written inside `new BrowserWindow(…)`. window.test.ts pins the options actually passed.',
  },
  {
    id: 'SANDBOX_JS_CHECK',
    file: 'main/window.ts',
    reason:
      'Same literal-only limitation: secureWebPreferences() sets sandbox: true, app.enableSandbox() forces it for every renderer, and window.test.ts pins it.',
  },
  {
    id: 'AUXCLICK_JS_CHECK',
    file: 'main/window.ts',
    reason:
      'A middle-click can only ask for a new window, and setWindowOpenHandler denies every one (https links go to the system browser); will-navigate blocks the rest.',
  },
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/security.ts',
    reason: 'Manual review done: only https URLs without credentials reach shell.openExternal (isOpenableExternally, unit-tested).',
  },
  {
    id: 'CSP_GLOBAL_CHECK',
    file: 'renderer-index.html',
    reason:
      "The CSP evaluator warns that script-src 'self' is risky if the origin hosts JSONP, Angular or user uploads; ours serves only the built bundle (no inline scripts, no eval), and user images never come from it.",
  },
]

const root = resolve(import.meta.dirname, '../..')
const workDir = mkdtempSync(join(tmpdir(), 'ganvas-electronegativity-'))
const scanDir = join(workDir, 'app')
afterAll(() => rmSync(workDir, { recursive: true, force: true }))

/** The renderer page as the build emits it: the lead's CSP plugin run over the source index.html. */
async function builtIndexHtml(): Promise<string> {
  const plugins = (viteConfig.renderer?.plugins ?? []).flat()
  const csp = plugins.find((p) => p && typeof p === 'object' && 'name' in p && p.name === 'ganvas-csp')
  const transform = csp && typeof csp === 'object' && 'transformIndexHtml' in csp ? csp.transformIndexHtml : undefined
  if (typeof transform !== 'function') throw new Error('the ganvas-csp plugin is missing from electron.vite.config.ts')
  const html = readFileSync(join(root, 'src/renderer/index.html'), 'utf8')
  const out = await (transform as (html: string) => string | Promise<string>)(html)
  if (typeof out !== 'string') throw new Error('ganvas-csp did not return HTML')
  return out
}

async function scan(): Promise<{ checks: number; errors: { file: string; message: string; tolerable: boolean }[]; issues: Finding[] }> {
  for (const part of ['main', 'preload', 'shared']) {
    cpSync(join(root, 'src', part), join(scanDir, part), { recursive: true, filter: (p) => !p.endsWith('.test.ts') })
  }
  writeFileSync(join(scanDir, 'renderer-index.html'), await builtIndexHtml())
  const electronVersion = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('electron/package.json'), 'utf8')).version
  const output = join(workDir, 'findings.json')
  const runner = join(import.meta.dirname, 'electronegativity-runner.cjs')
  await promisify(execFile)(process.execPath, [runner, scanDir, output, electronVersion], { cwd: root, timeout: 120_000 })
  return JSON.parse(readFileSync(output, 'utf8'))
}

describe('electronegativity', () => {
  it('finds nothing above informational in main, preload and shared, except the reviewed list', async () => {
    const { checks, errors, issues } = await scan()
    expect(checks).toBeGreaterThan(30) // the checks really loaded
    // Every file parsed: a file the linter cannot read is a file it silently did not check.
    expect(errors.filter((e) => !e.tolerable)).toEqual([])

    const accepted = (f: Finding) => ACCEPTED.some((a) => a.id === f.id && a.file === f.file.replaceAll('\\', '/'))
    const serious = issues.filter((f) => f.severity !== 'INFORMATIONAL')
    const unexpected = serious.filter((f) => !accepted(f)).map((f) => `${f.id} ${f.severity} at ${f.file}:${f.line}: ${f.description}`)
    expect(unexpected).toEqual([])

    // An acceptance that no longer matches anything is stale: drop it from the list (and the README).
    const stale = ACCEPTED.filter((a) => !serious.some((f) => f.id === a.id && f.file.replaceAll('\\', '/') === a.file))
    expect(stale.map((a) => a.id)).toEqual([])
  })
})
