import { byTestId, expect, shownCode, test, TEST_IDS } from './harness/app-fixture'

test('window.plexLogin is exactly the bridge, frozen, and nothing else leaks in', async ({
  app,
  page
}) => {
  await app.open()
  await shownCode(app)
  expect(await page.evaluate('Object.keys(window.plexLogin)')).toEqual([
    'getState',
    'onState',
    'newCode',
    'openLink',
    'copyCode',
    'signOut',
    'cancel',
    'chooseProfile',
    'chooseServer'
  ])
  expect(await page.evaluate('Object.isFrozen(window.plexLogin)')).toBe(true)
  for (const name of ['require', 'module', 'exports', 'electron', 'ipcRenderer', 'process']) {
    expect(await page.evaluate(`typeof window[${JSON.stringify(name)}]`), name).toBe('undefined')
  }

  // Compared with a plain page of the same origin, the window gains the bridge and the two
  // hooks the stand-in needs (prefixed __plex), and nothing else.
  const globals = 'Object.getOwnPropertyNames(window)'
  const plain = await page.context().newPage()
  await plain.goto(`${app.server.url}/no-such-page`)
  const baseline = new Set((await plain.evaluate(globals)) as string[])
  await plain.close()
  const added = ((await page.evaluate(globals)) as string[]).filter((name) => !baseline.has(name))
  expect(added.sort()).toEqual(['__plexIpcEmit', '__plexIpcInvoke', 'plexLogin'])
})

test('every test id the tests rely on is on the page, once', async ({ app, page }) => {
  await app.open()
  for (const id of TEST_IDS) await expect(byTestId(page, id), id).toHaveCount(1)
  await expect(page.getByTestId('step-error')).toHaveCount(1)
})

test('IPC refuses arguments, and any page other than the app', async ({ app, page }) => {
  await app.open()
  await shownCode(app)
  const invoke = (args: string): Promise<unknown> =>
    page.evaluate(
      `window.__plexIpcInvoke('plex-login:get-state', ${args}).then(
        (state) => state.phase,
        (error) => 'refused: ' + error.message
      )`
    )
  expect(await invoke('[]')).toBe('waiting')
  expect(await invoke('[1]')).toMatch(/^refused: .*getState takes no arguments/)
  // The choices are checked before anything looks at them; no step is open, so nothing happens.
  const choose = (channel: string, args: string): Promise<unknown> =>
    page.evaluate(
      `window.__plexIpcInvoke('plex-login:${channel}', ${args}).then(
        () => 'accepted',
        (error) => 'refused: ' + error.message
      )`
    )
  expect(await choose('choose-profile', `['../switch?pin=1']`)).toMatch(/needs a profile uuid/)
  expect(await choose('choose-profile', `['abc', '12345']`)).toMatch(/PIN of 4 digits/)
  expect(await choose('choose-server', `[{ length: 3 }]`)).toMatch(/needs a machineIdentifier/)
  expect(await choose('choose-profile', `['abc', '1234']`)).toBe('accepted')
  expect(app.main.session.state.phase).toBe('waiting')

  // Same window, same binding, but another origin: the trusted-sender check says no.
  await page.goto(`${app.fake.url}/fake/pins`)
  expect(await invoke('[]')).toMatch(/^refused: .*did not come from the app window/)
  expect(app.ipc.filter((record) => !record.ok)).toHaveLength(5)
})
