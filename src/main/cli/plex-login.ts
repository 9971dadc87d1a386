// Entry of the built `plex-login` command (out/cli/plex-login.js).

import { version } from '../../../package.json'
import { runCli } from './run-cli'

function onInterrupt(callback: () => void): () => void {
  const handler = (): void => callback()
  process.once('SIGINT', handler)
  process.once('SIGTERM', handler)
  return () => {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}

const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text)

const { exitCode } = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  version,
  stdout: write(process.stdout),
  stderr: write(process.stderr),
  stderrIsTty: Boolean(process.stderr.isTTY),
  onInterrupt
})
// Exit once stdout has drained: a pipe to an installer must receive the whole JSON, and
// nothing (a keep-alive socket, a request cancelled mid-flight) may hold the process open.
process.stdout.write('', () => process.exit(exitCode))
