// timebank_driver.mjs URL TOKEN PAIRS_JSON COUNT — the writers of
// bench/timebank.sh: one writer per household pair [a, b], all at once,
// each making COUNT / pairs transfers of 1 coin back and forth (a → b, then
// b → a) over keep-alive HTTP, and a redemption every 100th of the first
// 1,000 (later ones would spend every coin and refuse the rest). A writer
// retries a failed connection for a second, then stops (the server was
// killed); prints
// "done=N refused=N failed=N ms=N" (refused: a 4xx, e.g. above the balance).
const [url, token, pairsJson, countText] = process.argv.slice(2);
const pairs = JSON.parse(pairsJson);
const per = Math.ceil(Number(countText) / pairs.length);
const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
let done = 0;
let refused = 0;
let failed = 0;
const t0 = Date.now();
async function writer([a, b]) {
  for (let i = 0; i < per; i++) {
    const [from, to] = i % 2 ? [b, a] : [a, b];
    const redeem = i % 100 === 99 && i < 1000; // ten per writer: the coins last the whole run
    const path = redeem ? `/api/v1/persons/${from}/timebank/redemptions` : `/api/v1/persons/${from}/timebank/transfers`;
    const body = redeem ? { rule: 'elder_care_hour' } : { to, coins: 1 };
    let r = null;
    for (let attempt = 0; !r && attempt < 10; attempt++) {
      try {
        r = await fetch(url + path, { method: 'POST', headers, body: JSON.stringify(body) });
        await r.arrayBuffer();
      } catch {
        r = null;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    if (!r) {
      failed++;
      return;
    }
    if (r.status === 201) done++;
    else if (r.status >= 400 && r.status < 500) refused++;
    else failed++;
  }
}
await Promise.all(pairs.map(writer));
console.log(`done=${done} refused=${refused} failed=${failed} ms=${Date.now() - t0}`);
