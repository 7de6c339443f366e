/** The `ganvas` command. Each subcommand lives in ./commands and registers itself here. */
import { Command } from 'commander'
import { registerBench } from './commands/bench'
import { registerGenerate } from './commands/generate'
import { registerImport } from './commands/import'
import { registerInfo } from './commands/info'
import { registerServe } from './commands/serve'
import { registerTrain } from './commands/train'
import { registerTranslate } from './commands/translate'
import { reportAndExit } from './fail'
import { version } from './paths'

const program = new Command()
  .name('ganvas')
  .description('Ganvas: a studio for generative adversarial networks, on your own images and your own GPU.')
  .version(version)

registerInfo(program)
registerServe(program)
registerTrain(program)
registerTranslate(program)
registerImport(program)
registerGenerate(program)
registerBench(program)

// Piped into `head` and the reader left: stop quietly rather than dump an EPIPE stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

program.parseAsync(process.argv).catch(reportAndExit)
