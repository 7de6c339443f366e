#!/usr/bin/env node
// `npm start`: build, then open the studio in Electron where its binary exists, otherwise in the
// browser through serve mode (the Electron binary cannot be downloaded on every machine).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status ?? 1
const electronVite = 'node_modules/electron-vite/bin/electron-vite.js'

if (existsSync(`${root}/node_modules/electron/dist`)) {
  process.exit(run([electronVite, 'preview']))
}
console.log('Electron is not installed here (its binary could not be downloaded): opening the studio in serve mode instead.')
if (run([electronVite, 'build']) !== 0) process.exit(1)
process.exit(run(['bin/ganvas.js', 'serve', ...process.argv.slice(2)]))
