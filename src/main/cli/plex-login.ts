// Entry of the built `plex-login` command (out/cli/plex-login.js).

// First, so that no signal finds the command without its handlers.
import { onInterrupt } from './interrupt-signals'
import { version } from '../../../package.json'
import { safeOutput } from '../app/output-streams'
import { runCli } from './run-cli'

// A reader that went away (`2>&1 | head -c1`, a logger that exited) must not end the run: what
// is written to it is dropped, and the sign-in still finishes, is saved, and gives its exit code.
const stdout = safeOutput(process.stdout)
const stderr = safeOutput(process.stderr)

const { exitCode } = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  version,
  stdout: stdout.write,
  stderr: stderr.write,
  stderrIsTty: Boolean(process.stderr.isTTY),
  stderrColumns: () => process.stderr.columns,
  stdin: process.stdin,
  onInterrupt
})
// Exit once stdout has drained (or broke): a pipe to an installer must receive the whole JSON,
// and nothing (a keep-alive socket, a request cancelled mid-flight) may hold the process open.
stdout.flushed(() => process.exit(exitCode))
