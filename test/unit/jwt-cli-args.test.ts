// The command line of the JWT sign-in: --jwt, `token` and --min-validity.
import { describe, expect, it } from 'vitest'
import { helpText, parseCliArgs } from '../../src/main/cli/cli-args'

const ENV = { HOME: '/home/someone' }

function run(argv: string[]) {
  const parsed = parseCliArgs(argv, ENV)
  if (parsed.kind !== 'run') throw new Error(`not a run: ${JSON.stringify(parsed)}`)
  return parsed.options
}

function usage(argv: string[]): string {
  const parsed = parseCliArgs(argv, ENV)
  if (parsed.kind !== 'usage-error') throw new Error(`not a usage error: ${JSON.stringify(parsed)}`)
  return parsed.message
}

describe('--jwt and token', () => {
  it('--jwt on login, status and logout; absent otherwise', () => {
    for (const command of ['login', 'status', 'logout'])
      expect(run([command, '--jwt'])).toMatchObject({ command, jwt: true })
    expect(run(['login'])).not.toHaveProperty('jwt')
  })

  it('token defaults to a day of validity; --min-validity takes whole seconds up to 7 days', () => {
    expect(run(['token'])).toMatchObject({ command: 'token', minValidityMs: 86_400_000 })
    expect(run(['token', '--min-validity', '1']).minValidityMs).toBe(1000)
    expect(run(['token', '--min-validity=604800', '--json'])).toMatchObject({
      minValidityMs: 604_800_000,
      json: true
    })
    expect(run(['login'])).not.toHaveProperty('minValidityMs')
  })

  it.for(['0', '604801', '1.5', '-1', '1e3', ' ', 'x', '99999999'])(
    '--min-validity %j is refused',
    (value) => {
      expect(usage(['token', `--min-validity=${value}`])).toMatch(/--min-validity must be a whole/)
    }
  )

  it.for([
    [['status', '--min-validity', '5'], /only applies to token/],
    [['token', '--strong'], /only applies to login/],
    [['token', '--reuse'], /only applies to login/],
    [['servers', '--jwt'], /--jwt applies to login/],
    [['login', '--jwt', '--client-id', 'abc'], /--client-id cannot be used/],
    [['token', '--client-id', 'abc'], /--client-id cannot be used/]
  ] as const)('%j is a usage error', ([argv, message]) => {
    expect(usage([...argv])).toMatch(message)
  })

  it('the help names the token command, --jwt and --min-validity', () => {
    expect(helpText()).toMatch(/plex-login token \[--json\] \[--min-validity <seconds>\]/)
    expect(helpText()).toMatch(/--jwt/)
    expect(helpText()).toMatch(/4 status or token: not signed in/)
  })
})
