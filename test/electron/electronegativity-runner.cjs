// Runs Electronegativity on one folder in its own process (it registers globals and may call
// process.exit) and writes its findings as JSON to the file named by argv[3].
// Network is cut off on purpose: the check must give the same answer offline and online.
const Module = require('node:module')
const { writeFileSync } = require('node:fs')

const originalLoad = Module._load
Module._load = function load(request, ...rest) {
  if (request === 'got') return () => Promise.reject(new Error('Ganvas security test: no network'))
  return originalLoad.call(this, request, ...rest)
}

const [, , input, output, electronVersion] = process.argv
const run = require('@doyensec/electronegativity')

run({
  input,
  isRelative: true,
  isSarif: false,
  customScan: [],
  // Compares against Electron's latest releases, fetched from the network: a dependency-freshness
  // question for `npm outdated`/audit, and not deterministic offline.
  excludeFromScan: ['availablesecurityfixesglobalcheck'],
  electronVersionOverride: electronVersion,
  parserPlugins: [],
})
  .then((result) => {
    const issues = result.issues.map((issue) => ({
      id: issue.id,
      file: issue.file,
      line: issue.location.line,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      manualReview: Boolean(issue.manualReview),
      description: issue.description,
      sample: issue.sample ?? null,
    }))
    const checks = result.globalChecks + result.atomicChecks
    writeFileSync(output, JSON.stringify({ checks, errors: result.errors, issues }, null, 2))
  })
  .catch((error) => {
    console.error(error)
    process.exit(1)
  })
