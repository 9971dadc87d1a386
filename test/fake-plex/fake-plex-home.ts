// A Plex Home for the fake plex.tv: `GET /api/v2/home/users` and
// `POST /api/v2/home/users/{uuid}/switch`, answered as plex.tv does (shapes from
// Plex Home as described for managed users). Handed to startFakePlex({ routes: [home.handler] }).
// The tokens a switch hands out are registered through `addToken`, so the fake plex.tv takes
// them as signed-in tokens afterwards (give it `(token) => fakePlex.addToken(token)`).
import { randomInt } from 'node:crypto'
import type { FakeRouteAnswer, FakeRouteHandler, FakeRouteRequest } from './fake-routes'

export interface FakeHomeUser {
  uuid: string
  title: string
  admin?: boolean
  restricted?: boolean // a managed user
  pin?: string // set: the profile is protected by this PIN
  thumb?: string
}

export interface FakeHomeOptions {
  users: FakeHomeUser[] // [] → the account has no Home (404)
  addToken(token: string): void
}

export interface FakeSwitch {
  uuid: string
  pin?: string
  status: number
  token?: string // the profile token handed out
}

export interface FakeHome {
  readonly handler: FakeRouteHandler
  readonly switches: FakeSwitch[] // every switch request, in order
  /** Each next Home request (list or switch) is answered with one of these instead. */
  fail(...answers: FakeRouteAnswer[]): void
}

/** A Home to try the whole flow with: the admin, an open managed profile, a protected one. */
export const DEMO_HOME_USERS: FakeHomeUser[] = [
  { uuid: 'dae343c1f45beb4f', title: 'fakeplexuser', admin: true },
  { uuid: '5b1e0c7a9d2f4e11', title: 'Kids', restricted: true },
  { uuid: 'c0ffee00badd0123', title: 'Alex', pin: '1234' }
]

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const FIRST_USER_ID = 24000000

const UNAUTHENTICATED = {
  errors: [{ code: 1001, message: 'User could not be authenticated', status: 401 }]
}
const NOT_FOUND = { errors: [{ code: 1002, message: 'Not Found', status: 404 }] }
const WRONG_PIN = { errors: [{ code: 1041, message: 'Invalid PIN', status: 403 }] }

const SWITCH_PATH = /^\/api\/v2\/home\/users\/([^/]+)\/switch$/

export function createFakeHome(options: FakeHomeOptions): FakeHome {
  const switches: FakeSwitch[] = []
  const failures: FakeRouteAnswer[] = []

  function userJson(user: FakeHomeUser, index: number): Record<string, unknown> {
    return {
      id: FIRST_USER_ID + index,
      uuid: user.uuid,
      title: user.title,
      username: user.restricted ? '' : user.title,
      email: user.restricted ? '' : `${user.uuid}@example.com`,
      friendlyName: user.title,
      thumb: user.thumb ?? `https://plex.tv/users/${user.uuid}/avatar?c=1556281940`,
      hasPassword: !user.restricted,
      restricted: user.restricted ?? false,
      updatedAt: 1556281940,
      admin: user.admin ?? false,
      guest: false,
      protected: user.pin !== undefined
    }
  }

  function list(): FakeRouteAnswer {
    if (options.users.length === 0) return { status: 404, body: NOT_FOUND }
    return {
      status: 200,
      body: {
        id: 1040001,
        name: 'Fake Home',
        guestUserID: null,
        guestUserUUID: null,
        guestEnabled: false,
        subscription: false,
        users: options.users.map(userJson)
      }
    }
  }

  function switchTo(request: FakeRouteRequest, uuid: string): FakeRouteAnswer {
    const pin = request.url.searchParams.get('pin') ?? undefined
    const record: FakeSwitch = { uuid, status: 0, ...(pin === undefined ? {} : { pin }) }
    switches.push(record)
    const index = options.users.findIndex((user) => user.uuid === uuid)
    const user = options.users[index]
    let answer: FakeRouteAnswer
    if (!user) {
      answer = { status: 404, body: NOT_FOUND }
    } else if (user.pin !== undefined && pin !== user.pin) {
      answer = { status: 403, body: WRONG_PIN }
    } else {
      const token = randomToken()
      options.addToken(token)
      record.token = token
      answer = { status: 201, body: { ...userJson(user, index), authToken: token } }
    }
    record.status = answer.status
    return answer
  }

  const handler: FakeRouteHandler = (request) => {
    const { pathname } = request.url
    const switchMatch = SWITCH_PATH.exec(pathname)
    const isList = request.method === 'GET' && /^\/api\/v2\/home\/users\/?$/.test(pathname)
    const isSwitch = request.method === 'POST' && switchMatch !== null
    if (!isList && !isSwitch) return undefined
    const failure = failures.shift()
    if (failure) return failure
    if (!request.token || !request.isValidToken(request.token)) {
      return { status: 401, body: UNAUTHENTICATED }
    }
    return isList ? list() : switchTo(request, decodeURIComponent(switchMatch?.[1] ?? ''))
  }

  return {
    handler,
    switches,
    fail(...answers) {
      failures.push(...answers)
    }
  }
}

function randomToken(): string {
  let token = ''
  for (let i = 0; i < 20; i++) token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)]
  return token
}
