// 党费 (app/points.h): the 2008 rate table as data, a member's basis giving
// the monthly amount (half up to the fen), payments of months refused when
// absurd, short, early or twice (nothing written), arrears flagged after 6
// consecutive unpaid months, the yearly publication (JSON and XLSX), and
// the member's own dues.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, addUser, tokenFor, sql, chinaDay } from '../lib/server.js';

const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
const YEAR = Number(chinaDay().slice(0, 4));
const MONTH = Number(chinaDay().slice(5, 7));
const LY = YEAR - 1;
let srv;
const as = {};
const p = {};
let serial = 0;

const send = (who, method, url, body) => who(url, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());
const ym = (i) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`; // month index → YYYY-MM
const NOW = YEAR * 12 + MONTH - 1;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const users = { town: ['township_admin', TOWN], sec: ['village_secretary', V1], sec2: ['village_secretary', V2], member: ['party_member', V1] };
  for (const [name, [role, scope]] of Object.entries(users)) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (u, init = {}) => api(srv.url, u, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
  const branch = async (unit) => (await send(as.admin, 'POST', '/api/v1/party/orgs', { name: `党费党支部${++serial}`, type: 'branch', unit })).body.id;
  const b1 = await branch(V1);
  const b2 = await branch(V2);
  for (const [name, unit, org, account] of [['me', V1, b1, 'member'], ['paid', V1, b1], ['late', V1, b1], ['farmer', V1, b1], ['other', V2, b2]]) {
    const r = await send(as.admin, 'POST', '/api/v1/persons', { name: `党费${name}`, unit, ...(account ? { account } : {}) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    p[name] = r.body.id;
    const m = await send(as.admin, 'POST', `/api/v1/party/orgs/${org}/members`, { person: r.body.id, kind: 'party_member', stage: 'formal', from: `${LY - 2}-01-01` });
    assert.equal(m.status, 201, JSON.stringify(m.body));
  }
});
after(() => srv?.stop());

const basis = (who, person, body) => send(who, 'PUT', `/api/v1/persons/${person}/dues/basis`, body);
const pay = (who, person, body) => send(who, 'POST', `/api/v1/persons/${person}/dues/payments`, { method: 'wechat', ...body });

test('the rate table is data (2008): income bands, retirees, flat amounts', async () => {
  const r = await as.member('/api/v1/dues/rates');
  assert.equal(r.status, 200);
  assert.match(r.body.source, /2008/);
  const employed = r.body.categories.find((c) => c.code === 'employed');
  assert.deepEqual(employed.bands.map((b) => b.percent), [0.5, 1, 1.5, 2]);
  assert.deepEqual(employed.bands.map((b) => b.upto_fen), [300000, 500000, 1000000, null]);
  const farmer = r.body.categories.find((c) => c.code === 'farmer');
  assert.deepEqual([farmer.min_fen, farmer.max_fen], [20, 100]);
  assert.equal(r.body.arrears_months, 6);
});

test('a basis gives the monthly amount, half up to the fen, on the band holding the income', async () => {
  const cases = [
    ['employed', 300000, 1500], // exactly 3000 元: still 0.5 %
    ['employed', 300001, 3000], // 3000.01 元 × 1 % = 30.0001 → 30.00
    ['employed', 456789, 4568], // 4567.89 × 1 % = 45.6789 → 45.68
    ['employed', 500050, 7501], // 5000.50 × 1.5 % = 75.0075 → 75.01
    ['retired', 500000, 2500],
    ['retired', 612345, 6123], // 6123.45 × 1 % = 61.2345 → 61.23
    ['employed', 1234567, 24691], // 12345.67 × 2 % = 246.9134 → 246.91
  ];
  for (const [category, income, monthly] of cases) {
    const r = await basis(as.sec, p.paid, { year: YEAR, category, income_fen: income });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.bases.find((b) => b.year === YEAR).monthly_fen, monthly, `${category} ${income}`);
  }
  let r = await basis(as.sec, p.farmer, { year: YEAR, category: 'farmer' });
  assert.equal(r.body.bases[0].monthly_fen, 50, 'the default flat amount');
  r = await basis(as.sec, p.farmer, { year: YEAR, category: 'farmer', amount_fen: 100 });
  assert.equal(r.body.bases[0].monthly_fen, 100);
  // refused: unknown category, negative or absurd income, flat amount outside its range, mixed
  const before = count('dues_bases');
  for (const body of [
    { year: YEAR, category: 'nobody', income_fen: 1000 },
    { year: YEAR, category: 'employed', income_fen: -5 },
    { year: YEAR, category: 'employed', income_fen: 0 },
    { year: YEAR, category: 'employed', income_fen: 100000001 },
    { year: YEAR, category: 'farmer', amount_fen: 101 },
    { year: YEAR, category: 'student', amount_fen: 50 },
    { year: YEAR, category: 'farmer', income_fen: 300000 },
    { year: YEAR, category: 'employed', income_fen: 300000, amount_fen: 100 },
    { year: YEAR + 5, category: 'employed', income_fen: 300000 },
    { year: YEAR, category: 'employed', income_fen: 1.5 },
  ]) {
    r = await basis(as.sec, p.paid, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.ok(r.body.error.message);
  }
  assert.equal(count('dues_bases'), before);
  assert.equal((await basis(as.sec2, p.paid, { year: YEAR, category: 'student' })).status, 403);
  assert.equal((await basis(as.member, p.me, { year: YEAR, category: 'student' })).status, 403);
});

test('payments: months with a basis, at least the amount due, not absurd, not early, not twice', async () => {
  // the employed basis of `paid` is now 246.91 元 a month
  let r = await pay(as.sec, p.paid, { months: [ym(NOW)], amount_fen: 24691 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.months[MONTH - 1].paid_fen, 24691);
  assert.equal(r.body.months[MONTH - 1].method_name, '微信');
  const before = count('dues_payments');
  const refused = [
    [{ months: [ym(NOW)], amount_fen: 24691 }, 409, /已经交过了/],
    [{ months: [ym(NOW - 1), ym(NOW)], amount_fen: 49382 }, 409, /已经交过了/], // all or nothing
    [{ months: [ym(NOW - 1)], amount_fen: 24690 }, 400, /少于应交的 246\.91 元/],
    [{ months: [ym(NOW - 1)], amount_fen: -100 }, 400, /大于 0/],
    [{ months: [ym(NOW - 1)], amount_fen: 0 }, 400, /大于 0/],
    [{ months: [ym(NOW - 1)], amount_fen: 1000001 }, 400, /不合常理/],
    [{ months: [ym(NOW + 13)], amount_fen: 24691 }, 400, /还未到期/],
    [{ months: [ym(NOW - 1), ym(NOW - 1)], amount_fen: 49382 }, 400, /重复/],
    [{ months: ['2026-13'], amount_fen: 24691 }, 400, /月份/],
    [{ months: [], amount_fen: 24691 }, 400, /months/],
    [{ months: [ym(NOW - 1)], amount_fen: 24691, method: 'gold' }, 400, /交纳方式/],
    [{ months: [ym(NOW - 1)], amount_fen: 24691, paid_on: '2099-01-01' }, 400, /晚于今天/],
    [{ months: [`${LY - 1}-06`], amount_fen: 24691 }, 400, /党费基数/],
  ];
  for (const [body, status, message] of refused) {
    r = await pay(as.sec, p.paid, body);
    assert.equal(r.status, status, JSON.stringify(body) + JSON.stringify(r.body));
    assert.match(r.body.error.message, message);
  }
  assert.equal(count('dues_payments'), before, 'nothing written');
  // several months at once, ahead within the allowed advance, split evenly
  r = await pay(as.sec, p.paid, { months: [ym(NOW + 1), ym(NOW + 2), ym(NOW + 3)], amount_fen: 24691 * 3 + 2 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(count('dues_payments'), before + 3);
  const amounts = sql(srv.dataDir, `SELECT amount_fen FROM dues_payments WHERE person_id = ${p.paid} ORDER BY month;`).trim().split('\n').map(Number);
  assert.equal(amounts.reduce((a, b) => a + b, 0), 24691 * 4 + 2);
  // a member may not record their own payment
  assert.equal((await pay(as.member, p.me, { months: [ym(NOW)], amount_fen: 100 })).status, 403);
});

test('arrears: 6 consecutive unpaid months flag a member; the publication lists the year', async () => {
  // `late` has had a basis since last year and paid only last January
  assert.equal((await basis(as.sec, p.late, { year: LY, category: 'retired', income_fen: 400000 })).status, 200);
  assert.equal((await pay(as.sec, p.late, { months: [`${LY}-01`], amount_fen: 2000, paid_on: `${LY}-01-15` })).status, 201);
  // `me` pays every month of this year up to the last one
  assert.equal((await basis(as.sec, p.me, { year: YEAR, category: 'student' })).status, 200);
  const past = [];
  for (let i = YEAR * 12; i < NOW; i++) past.push(ym(i));
  if (past.length) assert.equal((await pay(as.sec, p.me, { months: past, amount_fen: 20 * past.length })).status, 201);
  const r = await as.sec(`/api/v1/dues/arrears?unit=${V1}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const late = r.body.items.find((x) => x.person.id === p.late);
  const unpaid = NOW - (LY * 12 + 1); // every month since last February, before this one
  assert.equal(late.unpaid_run, unpaid);
  assert.equal(late.owed_fen, unpaid * 2000);
  assert.equal(late.flagged, unpaid >= 6);
  assert.equal(r.body.items[0].person.id, p.late, 'longest run first');
  assert.ok(!r.body.items.some((x) => x.person.id === p.me), 'paid up');
  // the farmer owes this year's past months; 6 or more only from July on
  const farmer = r.body.items.find((x) => x.person.id === p.farmer);
  assert.equal(farmer?.unpaid_run ?? 0, MONTH - 1);
  // as of an earlier month: fewer
  const march = await as.sec(`/api/v1/dues/arrears?unit=${V1}&month=${LY}-08`);
  assert.equal(march.body.items.find((x) => x.person.id === p.late).unpaid_run, 6);
  assert.equal(march.body.items.find((x) => x.person.id === p.late).flagged, true);
  assert.equal((await as.sec('/api/v1/dues/arrears?month=2026-00')).status, 400);
  assert.equal((await as.sec2(`/api/v1/dues/arrears?unit=${V1}`)).status, 404);
  // publication of last year: who paid which months, in scope only
  const pub = await as.town(`/api/v1/dues/publication?unit=${TOWN}&year=${LY}`);
  assert.equal(pub.status, 200, JSON.stringify(pub.body));
  const row = pub.body.items.find((x) => x.person.id === p.late);
  assert.deepEqual(row.months, [1]);
  assert.equal(row.amount_fen, 2000);
  assert.ok(pub.body.items.some((x) => x.person.id === p.other && x.months.length === 0));
  const xlsx = await as.town(`/api/v1/dues/publication?unit=${TOWN}&year=${LY}&format=xlsx`);
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  assert.equal((await as.town(`/api/v1/dues/publication?unit=${TOWN}&year=${LY}&format=pdf`)).status, 400);
});

test('a member sees their own dues', async () => {
  const r = await as.member(`/api/v1/me/dues?year=${YEAR}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.person, p.me);
  assert.equal(r.body.bases[0].category_name, '学生党员');
  assert.equal(r.body.arrears.unpaid_run, 0);
  assert.equal(r.body.paid_fen, 20 * (MONTH - 1));
  assert.equal((await as.member(`/api/v1/persons/${p.paid}/dues`)).status, 403);
});
