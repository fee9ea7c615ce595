// store.js — the outbox's IndexedDB database: one object store of records
// keyed by an increasing number (the order they were made in), and small
// promise wrappers, so outbox.js reads as what it does.
const DB_NAME = 'jiceng-offline';
const STORE = 'outbox';
let opening = null;

export function openDb() {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      opening = null;
      reject(req.error);
    };
  });
  return opening;
}

// Runs fn(store) in one transaction; resolves to what fn's last request gave
// once the transaction has committed (a record counts as kept only then).
export async function inStore(mode, fn) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    let result;
    const req = fn(tx.objectStore(STORE));
    if (req) req.onsuccess = () => { result = req.result; };
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export const addRecord = (record) => inStore('readwrite', (s) => s.add(record));
export const putRecord = (record) => inStore('readwrite', (s) => s.put(record));
// Several records in one transaction (resolves once all are kept).
export const putRecords = (records) => inStore('readwrite', (s) => {
  let last = null;
  for (const r of records) last = s.put(r);
  return last;
});
export const getRecord = (id) => inStore('readonly', (s) => s.get(id));
export const allRecords = () => inStore('readonly', (s) => s.getAll());
export const deleteRecord = (id) => inStore('readwrite', (s) => s.delete(id));
