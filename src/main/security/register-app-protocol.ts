import { readFile } from 'node:fs/promises'
import { protocol } from 'electron'
import { APP_SCHEME, CONTENT_SECURITY_POLICY, contentTypeOf, resolveAppFile } from './app-protocol'

/** Must run before the app is ready: app:// behaves like https (secure, standard origin). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, corsEnabled: true } }
  ])
}

/** Serves the built renderer folder, and nothing outside it, with the CSP as a header too. */
export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(root, request.url)
    if (!file) return new Response('Not found', { status: 404 })
    try {
      const body = await readFile(file)
      return new Response(body, {
        headers: {
          'content-type': contentTypeOf(file),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff'
        }
      })
    } catch {
      return new Response('Not found', { status: 404 })
    }
  })
}
