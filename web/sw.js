// sw.js — the service worker that lets the grid worker's app open and work
// with no network. Served at the root (/sw.js) so its scope is the whole
// app; the build puts its version in VERSION, so a new build is a new
// worker with new caches, and activate deletes the old ones.
//
// - The app shell (index.html and the modules the grid worker's pages
//   load, found by following their static imports from ENTRIES) is cached
//   on install. Assets under /v/VERSION/ never change: cache first, and any
//   other one is added when first loaded. The page itself: network first.
// - The worker's data, GET /api/v1/…: network first (a slow answer waits
//   at most NETWORK_WAIT_MS when a copy is cached), the last answer kept in
//   the data cache as the fallback. Writes are never cached: they go
//   through the outbox (offline/outbox.js). Signing out empties the data
//   cache (offline/register.js).
const VERSION = '@VERSION@';
const SHELL_CACHE = `jiceng-shell-${VERSION}`;
const DATA_CACHE = `jiceng-data-${VERSION}`;
const ASSETS = `/v/${VERSION}/`;
const NETWORK_WAIT_MS = 4000;
const ENTRIES = [
  'app.js', 'style.css', 'icon.svg', 'manifest.webmanifest', 'offline/register.js',
  'views/not-found.js', 'views/forbidden.js', 'views/login.js', 'views/password.js', 'views/desk.js',
  'views/notices.js', 'views/notifications.js', 'views/field/field.js', 'views/grids/visit.js',
  'views/people/household.js', 'views/items.js', 'views/items/detail.js',
  'icons/desk.svg', 'icons/notices.svg', 'icons/units.svg', 'icons/items.svg', 'icons/review.svg',
  'icons/users.svg', 'icons/analytics.svg', 'icons/entry.svg', 'icons/elements.svg', 'icons/bell.svg',
];
// Data answers that are personal to a session and must not outlive it
// offline, nor answer for someone else: never cached.
const NEVER_CACHED = /^\/api\/v1\/(session|me\/password|files|.*\/export)/;

const STATIC_IMPORT = /(?:import|export)\s[^'"`;]*?from\s*['"](\.[^'"]+)['"]|import\s+['"](\.[^'"]+)['"]/g;

// Caches name and everything it imports statically, once each.
async function cacheWithImports(cache, name, seen) {
  if (seen.has(name)) return;
  seen.add(name);
  const response = await fetch(ASSETS + name);
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  await cache.put(ASSETS + name, response.clone());
  if (!name.endsWith('.js')) return;
  const text = await response.text();
  const dir = name.includes('/') ? name.slice(0, name.lastIndexOf('/') + 1) : '';
  const deps = [...text.matchAll(STATIC_IMPORT)].map((m) => new URL(m[1] ?? m[2], `https://x/${dir}`).pathname.slice(1));
  await Promise.all(deps.map((d) => cacheWithImports(cache, d, seen)));
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    await cache.put('/', await fetch('/', { cache: 'no-cache' }));
    const seen = new Set();
    await Promise.all(ENTRIES.map((e) => cacheWithImports(cache, e, seen)));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const keep = new Set([SHELL_CACHE, DATA_CACHE]);
    for (const name of await caches.keys()) if (name.startsWith('jiceng-') && !keep.has(name)) await caches.delete(name);
    await self.clients.claim();
  })());
});

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: SHELL_CACHE });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(SHELL_CACHE)).put(request, response.clone());
  return response;
}

// The page: the network's when it answers, else the cached one.
async function page(request) {
  try {
    const response = await fetch(request);
    if (response.ok) (await caches.open(SHELL_CACHE)).put('/', response.clone());
    return response;
  } catch (error) {
    const cached = await caches.match('/', { cacheName: SHELL_CACHE });
    if (cached) return cached;
    throw error;
  }
}

// Data: the network's answer (kept for later) or, when the network fails,
// is slow, or answers 5xx, the last answer kept, marked X-Jiceng-Offline.
async function networkFirst(request) {
  const cache = await caches.open(DATA_CACHE);
  const cached = await cache.match(request);
  const fromCache = () => {
    const headers = new Headers(cached.headers);
    headers.set('X-Jiceng-Offline', '1');
    return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers });
  };
  const network = fetch(request).then(async (response) => {
    if (response.ok) await cache.put(request, response.clone());
    else if (response.status === 401) await caches.delete(DATA_CACHE); // signed out elsewhere
    return response;
  });
  if (!cached) return network;
  network.catch(() => {}); // answered from the cache; a late failure is no news
  let timer;
  const slow = new Promise((resolve) => { timer = setTimeout(() => resolve(null), NETWORK_WAIT_MS); });
  try {
    const response = await Promise.race([network, slow]);
    if (response && response.status < 500) return response;
    return fromCache();
  } catch {
    return fromCache();
  } finally {
    clearTimeout(timer);
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== 'GET') return;
  if (request.mode === 'navigate' && url.pathname === '/') event.respondWith(page(request));
  else if (url.pathname.startsWith(ASSETS)) event.respondWith(cacheFirst(request));
  else if (url.pathname.startsWith('/api/v1/') && !NEVER_CACHED.test(url.pathname)) event.respondWith(networkFirst(request));
});

// The page asks for the data cache to be emptied (signing out).
self.addEventListener('message', (event) => {
  if (event.data === 'forget-data') event.waitUntil(caches.delete(DATA_CACHE));
});
