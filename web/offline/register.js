// register.js — starts what makes the app work offline: the service worker
// (sw.js at the root, so its scope is the whole app) and the outbox, which
// sends what waits as soon as someone is signed in. Signing out empties the
// cached data, so the next person on this phone does not see it.
import { onSessionChange } from '../session.js';
import { flush, startOutbox } from './outbox.js';

export function startOffline() {
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error) => console.warn('service worker:', error.message));
  }
  startOutbox();
  onSessionChange((user) => {
    if (user) flush();
    else navigator.serviceWorker?.controller?.postMessage('forget-data');
  });
}
