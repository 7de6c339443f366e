/**
 * End to end in serve mode: `ganvas serve` with the wasm backend, the studio in Debian's Chromium,
 * plus the token wall and the WebSocket's handling of hostile frames.
 */
import { copyFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { handwrittenFrames, randomFrames } from './pages/malformed-frames'
import { brokenModel, fakeModel, writeModelLibrary } from './pages/model-fixtures'
import { ModelsPage } from './pages/models-page'
import { projectRoot, type ServeProcess } from './pages/serve-process'
import { SECTION_LABELS, type StudioPage } from './pages/studio-page'
import { ENGINE_READY_MS, useStudioSession } from './pages/studio-session'
import { TrainPage } from './pages/train-page'
import { ProbeSocket, upgradeStatus, wsUrl } from './pages/ws-probe'

describe('ganvas serve in Chromium', { timeout: 180_000 }, () => {
  // A fresh context and page for each test; its page errors fail that test.
  const session = useStudioSession({ name: 'serve', prepareHome: writeModelLibrary, viewport: { width: 1280, height: 800 }, pages: 'test' })
  let home = ''
  let page: Page
  let studio: StudioPage

  beforeEach(() => {
    ;({ home, page, studio } = session)
  })

  it('trades the token for a cookie and shows the wasm backend once the engine is ready', async () => {
    expect(new URL(page.url()).search).toBe('')
    await studio.waitForEngineReady(ENGINE_READY_MS)
    await expect(studio.backend.innerText()).resolves.toMatch(/^wasm · .*WebAssembly/)
    await expect(studio.engineState.innerText()).resolves.toContain('Engine ready')
    await expect(studio.connection.innerText()).resolves.toBe('Connected')

    const settings = await studio.openBackendSettings()
    await settings.getByText('@tensorflow/tfjs-backend-wasm').first().waitFor()
    await settings.getByRole('radio', { name: /^WebAssembly/ }).waitFor()
    await studio.screenshot('engine-settings')
  })

  it('visits every section through the navigation and by shortcut', async () => {
    await studio.waitForEngineReady(ENGINE_READY_MS)
    for (const label of SECTION_LABELS) {
      await studio.goTo(label)
      await expect(studio.navLink(label).getAttribute('aria-current')).resolves.toBe('page')
      if (label === 'Models') await page.getByRole('article').first().waitFor()
      if (label !== 'Train') await studio.screenshot(`tour-${label.toLowerCase()}`)
    }
    await expect(studio.navLink('Faces').getAttribute('aria-keyshortcuts')).resolves.toBe('Control+3')
    await page.keyboard.press('Control+1')
    await studio.heading('Sketch').waitFor()
    await page.keyboard.press('Control+4')
    await studio.heading('Train').waitFor()
  })

  it('lists the fake model and names the problem with the broken folder', async () => {
    await studio.goTo('Models')
    const models = new ModelsPage(page)
    const good = await models.cardText(fakeModel.manifest.name)
    expect(good).toContain('Pix2Pix')
    expect(good).toContain('256 × 256')
    expect(good).toContain('12,000 steps')
    const broken = await models.cardText(brokenModel.folder)
    expect(broken).toContain(brokenModel.expectedProblem)
    await expect(page.getByText(`${home}/models`).first().isVisible()).resolves.toBe(true)
  })

  it('imports a PyTorch pix2pix checkpoint from the Models section', async () => {
    // The file must sit in a folder this session may read: the app home is one.
    const file = join(home, 'facades_net_G.pth')
    await copyFile(join(projectRoot, 'test/fixtures/pytorch/unet_128.pth'), file)
    await studio.goTo('Models')
    await page.getByLabel('Checkpoint file (full path)').fill(file)
    await page.getByLabel('Model name').fill('facades')
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    const models = new ModelsPage(page)
    const card = await models.cardText('facades')
    expect(card).toContain('Pix2Pix')
    expect(card).toContain('128 × 128')
  })

  it('runs the engine check and reports its loss', async () => {
    await studio.waitForEngineReady(ENGINE_READY_MS)
    await studio.goTo('Train')
    const train = new TrainPage(page)
    const outcome = await train.runEngineCheck(150_000)
    expect(outcome, outcome.text).toMatchObject({ state: 'done' })
    expect(outcome.text).toMatch(/Training works on wasm: the loss (fell|went) from [\d.e-]+ to [\d.e-]+, [\d.]+ ms per step/)
    const card = train.jobCard(/^Engine check/)
    await expect(card.first().innerText()).resolves.toMatch(/Done[\s\S]*Step 30 of 30[\s\S]*loss/i)
    // The loss curve is drawn from live progress events, so it proves they arrived step by step.
    await page.getByRole('img', { name: /^Loss curve of Engine check/ }).waitFor()
    await studio.screenshot('engine-check')
  })

  // Last in this block: it restarts the engine the other tests use.
  it('saves another backend preference from the status bar and restarts the engine on it', async () => {
    await studio.waitForEngineReady(ENGINE_READY_MS)
    const settings = await studio.openBackendSettings()
    await settings.getByRole('radio', { name: /^WebAssembly/ }).check()
    await settings.getByRole('button', { name: 'Save and restart engine' }).click()
    await settings.getByText(/restarted 1×/).waitFor({ timeout: ENGINE_READY_MS })
    await studio.waitForEngineReady(ENGINE_READY_MS)
    await expect(settings.getByRole('radio', { name: /^WebAssembly/ }).isChecked()).resolves.toBe(true)
    await expect(settings.getByRole('button', { name: 'Save and restart engine' }).isDisabled()).resolves.toBe(true)
  })
})

describe('ganvas serve refuses what lacks the token and survives bad frames', { timeout: 180_000 }, () => {
  const session = useStudioSession({ name: 'serve-wire', pages: 'none' })
  let server: ServeProcess | undefined

  beforeAll(() => {
    server = session.server
  })

  it('answers 401 to pages, assets and WebSocket upgrades without the right token', async () => {
    const { base, token } = server!
    const asset = (await readdir(join(projectRoot, 'out/renderer/assets'))).find((name) => name.endsWith('.js'))
    expect(asset).toBeDefined()
    expect((await fetch(`${base}/`)).status).toBe(401)
    expect((await fetch(`${base}/assets/${asset}`)).status).toBe(401)
    expect((await fetch(`${base}/?token=${'0'.repeat(token.length)}`)).status).toBe(401)
    expect((await fetch(`${base}/assets/${asset}`, { headers: { cookie: 'ganvas_token=nope' } })).status).toBe(401)
    expect((await fetch(`${base}/assets/${asset}`, { headers: { cookie: `ganvas_token=${token}` } })).status).toBe(200)

    expect(await upgradeStatus(wsUrl(base))).toBe(401)
    expect(await upgradeStatus(wsUrl(base, 'wrong-token'))).toBe(401)
    expect(await upgradeStatus(wsUrl(base), { cookie: 'ganvas_token=wrong' })).toBe(401)
    expect(await upgradeStatus(wsUrl(base, token))).toBe(101)
  })

  it('answers every malformed frame with ok:false naming the field, and the engine keeps running', async () => {
    const socket = await ProbeSocket.open(wsUrl(server!.base, server!.token))
    const frames = [...handwrittenFrames(), ...randomFrames(300, 20_250_314)]
    const wrong: string[] = []
    for (const frame of frames) {
      const response = await socket.exchange(frame.data)
      const error = response.ok ? null : response.error
      if (!error || !error.field?.startsWith(frame.field) || !error.message.includes(error.field)) {
        wrong.push(`${frame.label}: expected field ${frame.field}, got ${JSON.stringify(response)}`)
      }
    }
    expect(wrong).toEqual([])
    expect(socket.isOpen).toBe(true)

    // Still alive: the engine answers and is ready (it may still be starting on a slow machine).
    const deadline = Date.now() + ENGINE_READY_MS
    let status = await socket.exchange(JSON.stringify({ id: 1, method: 'engine.status', input: {} }))
    while (status.ok && (status.output as { state: string }).state === 'starting' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500))
      status = await socket.exchange(JSON.stringify({ id: 2, method: 'engine.status', input: {} }))
    }
    expect(status).toMatchObject({ ok: true, output: { state: 'ready', backend: 'wasm' } })
    socket.close()
  })
})
