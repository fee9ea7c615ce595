// session.js — who is signed in. The session itself is an HttpOnly cookie
// the page cannot read; what the page keeps, in memory only, is the user
// and the CSRF token that unsafe requests must carry (api.js asks here).
// A reloaded page gets both again from GET /api/v1/me.
import { getJSON, sendJSON, connectSession } from './api.js';

let state = null; // {user, csrf} while signed in
const listeners = new Set();

export const currentUser = () => state?.user ?? null;

// May the signed-in user do `perm`? A row without perm needs only a user.
export function hasPerm(perm) {
  if (!state) return false;
  return !perm || state.user.permissions.includes(perm);
}

// fn(user or null) runs whenever someone signs in or out.
export function onSessionChange(fn) {
  listeners.add(fn);
}

function setState(next) {
  state = next ? { user: next.user, csrf: next.csrf } : null;
  for (const fn of listeners) fn(currentUser());
}

// Asks the server who is signed in; resolves to the user or null.
export async function loadSession() {
  try {
    setState(await getJSON('/api/v1/me', { auth: false }));
  } catch (error) {
    if (error.status !== 401) throw error;
    setState(null);
  }
  return currentUser();
}

// Rejects with the server's message (wrong password, locked account…).
export async function login(username, password) {
  setState(await sendJSON('POST', '/api/v1/session', { username, password }, { auth: false }));
  return currentUser();
}

// A session the server already ended counts as signed out.
export async function logout() {
  try {
    await sendJSON('DELETE', '/api/v1/session', undefined, { auth: false });
  } catch (error) {
    if (error.status !== 401) throw error;
  }
  setState(null);
}

// '#/login?next=/units/41' — the login page, coming back to `next` (a
// route such as '/units/41?q=村') after signing in.
export function loginHref(next) {
  return next && next !== '/' && !next.startsWith('/login')
    ? `#/login?${new URLSearchParams({ next })}`
    : '#/login';
}

// The route to open after signing in: `next` when it is one of ours.
export function safeNext(next) {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : null;
}

// The route showing now, e.g. '/units/41?q=村'.
const currentRoute = () => location.hash.replace(/^#/, '');

connectSession({
  csrf: () => state?.csrf ?? null,
  // The session ended (expired, signed out elsewhere, account disabled):
  // forget it and go to the login page, remembering where the reader was.
  unauthorized() {
    const route = currentRoute();
    if (state) setState(null);
    if (!route.startsWith('/login')) location.replace(loginHref(route));
  },
});
