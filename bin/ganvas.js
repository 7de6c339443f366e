#!/usr/bin/env node
// The `ganvas` command runs from TypeScript source through tsx, so it works right after `npm ci`.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/index.ts')
