// Key groups from household tags (data/health.json key_groups
// household_tags): a resident of a household tagged 低保 / 特困 / 残疾 is
// in the poor or disabled group without a health tag of their own, only
// while the membership holds; a household tag no key group names (独居老人)
// makes no key group. Checked on a person's health and on coverage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, chinaDay, idNumber } from '../lib/server.js';

const V1 = '411121100201';
let srv;
let serial = 500;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
});
after(() => srv?.stop());

const send = (method, p, body) => srv.api(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function person(birth) {
  const id = idNumber(`411121${birth.replaceAll('-', '')}${String(serial++).padStart(3, '0')}`);
  const r = await send('POST', '/api/v1/persons', { name: `户成员${serial}`, unit: V1, sex: '男', id_number: id });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function household(tags, member, from) {
  let r = await send('POST', '/api/v1/households', { unit: V1, address: `三组 ${serial} 号`, tags });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  r = await send('POST', `/api/v1/households/${id}/members`, { person: member, relation: 'head', from });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return id;
}

const groups = async (id) => {
  const r = await srv.api(`/api/v1/persons/${id}/health`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.key_groups.map((g) => g.code).sort();
};

test('household tags 低保 and 残疾 place the residents in key groups; 独居老人 does not', async () => {
  const before = (await srv.api(`/api/v1/health/coverage?unit=${V1}`)).body;
  const poor = await person('1980-03-01');
  const lonely = await person('1981-03-01');
  const later = await person('1982-03-01');
  assert.deepEqual(await groups(poor), []);
  await household(['dibao', 'disabled'], poor, '2010-01-01');
  await household(['elderly_alone'], lonely, '2010-01-01');
  // a membership that starts next year does not count today
  const next = `${Number(chinaDay().slice(0, 4)) + 1}-01-01`;
  await household(['tekun'], later, next);
  assert.deepEqual(await groups(poor), ['disabled', 'poor']);
  assert.deepEqual(await groups(lonely), []);
  assert.deepEqual(await groups(later), []);
  // the person's own health tags are listed without the household's
  const h = await srv.api(`/api/v1/persons/${poor}/health`);
  assert.deepEqual(h.body.tags, []);
  const after = (await srv.api(`/api/v1/health/coverage?unit=${V1}`)).body;
  const g = (c, code) => c.groups.find((x) => x.code === code).people;
  assert.equal(after.residents, before.residents + 3);
  assert.equal(after.keypop, before.keypop + 1);
  assert.equal(g(after, 'poor'), g(before, 'poor') + 1);
  assert.equal(g(after, 'disabled'), g(before, 'disabled') + 1);
});
