import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { catchEndSignals, END_SIGNALS } from '../../src/main/app/end-signals'

describe('catchEndSignals', () => {
  it('listens for SIGINT, SIGTERM, SIGHUP and SIGQUIT', () => {
    const target = new EventEmitter()
    catchEndSignals(target)
    expect(END_SIGNALS).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'])
    for (const signal of END_SIGNALS) expect(target.listenerCount(signal)).toBe(1)
  })

  it.each(END_SIGNALS)('%s, once answered, calls the handler', (signal) => {
    const target = new EventEmitter()
    const calls: string[] = []
    catchEndSignals(target).answerWith(() => calls.push('stop'))
    target.emit(signal)
    expect(calls).toEqual(['stop'])
  })

  it('keeps a signal that came before the app could answer, and answers it then', () => {
    const target = new EventEmitter()
    const signals = catchEndSignals(target)
    target.emit('SIGHUP')
    const calls: string[] = []
    signals.answerWith(() => calls.push('stop'))
    expect(calls).toEqual(['stop'])
  })

  it('does not call the handler without a signal', () => {
    const calls: string[] = []
    catchEndSignals(new EventEmitter()).answerWith(() => calls.push('stop'))
    expect(calls).toEqual([])
  })

  it('stays listening after the first signal, so a second one cannot kill the app', () => {
    const target = new EventEmitter()
    const calls: string[] = []
    catchEndSignals(target).answerWith(() => calls.push('stop'))
    target.emit('SIGINT')
    target.emit('SIGINT')
    expect(calls).toEqual(['stop', 'stop'])
    expect(target.listenerCount('SIGINT')).toBe(1)
  })
})

describe('raise', () => {
  it('ends the run like a signal: at once once answered, or kept until then', () => {
    const early = catchEndSignals(new EventEmitter())
    early.raise()
    const calls: string[] = []
    early.answerWith(() => calls.push('early'))
    const late = catchEndSignals(new EventEmitter())
    late.answerWith(() => calls.push('late'))
    late.raise()
    expect(calls).toEqual(['early', 'late'])
  })
})
