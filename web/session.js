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

// Is the signed-in user's password one someone else set (initial or reset)?
// Then only 修改密码 opens until they choose their own.
export const mustChangePassword = () => Boolean(state?.user.must_change_password);

// The '#/password' address, coming back to `next` afterwards.
export function passwordHref(next) {
  return next && next !== '/' && !next.startsWith('/password') && !next.startsWith('/login')
    ? `#/password?${new URLSearchParams({ next })}`
    : '#/password';
}

// Changes one's own password; rejects with the server's message (wrong old
// password, too weak…, with error.field naming which).
export async function changePassword(oldPassword, newPassword) {
  const answer = await sendJSON('POST', '/api/v1/me/password', { old_password: oldPassword, new_password: newPassword });
  setState({ user: answer.user, csrf: state?.csrf ?? answer.csrf });
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
  // The server says the password must be changed first (another tab, or a
  // reset while signed in): go there.
  passwordChangeRequired() {
    const route = currentRoute();
    if (state && !state.user.must_change_password) setState({ ...state, user: { ...state.user, must_change_password: true } });
    if (!route.startsWith('/password')) location.replace(passwordHref(route));
  },
});
