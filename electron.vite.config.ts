import { resolve } from 'node:path'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import { CONTENT_SECURITY_POLICY } from './src/shared/csp'

/** One CSP for the Electron window and serve mode (which also sends it as a header). */
const injectCsp = (): Plugin => ({
  name: 'ganvas-csp',
  transformIndexHtml: (html) =>
    html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`),
})

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The engine runs in its own utilityProcess; it is built beside main as out/main/engine.js.
        input: { index: resolve('src/main/index.ts'), engine: resolve('src/engine/process.ts') },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require modules: bundle everything into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [svelte({ configFile: resolve('svelte.config.js') }), injectCsp()],
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
})
