// A failure on the command's stderr in the person's language, as the window words it; the JSON
// answer keeps the engine's English message (run-cli passes only stderr through this).
import { describe, expect, it } from 'vitest'
import { failureText } from '../../src/main/cli/failure-text'
import { translatorFor } from '../../src/shared/i18n/translator'

const de = translatorFor('de', { isolateValues: false })
const en = translatorFor('en', { isolateValues: false })

describe('failureText', () => {
  it('leaves English to the engine’s own sentence', () => {
    expect(failureText('unavailable', 'Could not reach plex.tv', en)).toBeUndefined()
  })

  it('words plex.tv being unreachable, busy or refusing in German', () => {
    expect(failureText('unavailable', 'Could not reach plex.tv', de)).toBe(
      `${de.t('error.offline.sentence')} ${de.t('error.offline.advice')}`
    )
    expect(failureText('rate-limited', 'plex.tv is limiting requests', de)).toContain(
      de.t('error.busy.sentence')
    )
    const refused = failureText('rejected', 'Bad product name', de)!
    expect(refused).toContain(de.t('error.stopped.sentence'))
    expect(refused).toContain(de.t('error.plexSaid', { said: 'Bad product name' }))
  })

  it('words the reason a command gives after its own words', () => {
    expect(
      failureText('unavailable', 'Could not check the sign-in: Could not reach plex.tv', de)
    ).toContain(de.t('error.offline.sentence'))
  })

  it('words a failed profile or server step as such, not as plex.tv’s refusal', () => {
    const server = failureText('server', 'No server answered from this computer', de)!
    expect(server).toContain(de.t('error.serverStep.sentence'))
    expect(server).not.toContain('No server answered')
    expect(failureText('profile', 'Wrong profile PIN 5 times', de)).toContain(
      de.t('error.profileStep.sentence')
    )
  })

  it('leaves what is worded where it happens, or names files, as it is', () => {
    for (const code of ['usage', 'interrupted', 'timeout', 'expired', 'store'] as const)
      expect(failureText(code, 'anything', de)).toBeUndefined()
  })
})
