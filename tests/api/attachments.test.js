// Evidence files and reassignment on the work-item timeline: uploads are
// checked by their bytes and stored once by digest, attached by a step or a
// comment, served only through an item the caller may see; reassignment
// (转办) is one event listing what changed, checked like any step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { startServer, api, addUser, tokenFor } from '../lib/server.js';

let srv;
const as = {}; // name → fetch with that user's bearer token
const bearer = {};
const V1 = '411121100201'; // villages of 舞泉镇
const V2 = '411121100202';

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const users = { town: ['township_admin', '411121100'], grid: ['grid_worker', V1], watcher: ['observer', '411121100'], other: ['township_admin', '411121101'] };
  for (const [name, [role, scope]] of Object.entries(users)) {
    addUser(srv.dataDir, name, role, scope);
    bearer[name] = { Authorization: `Bearer ${tokenFor(srv.dataDir, name)}` };
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { ...bearer[name], ...init.headers } });
  }
});
after(() => srv?.stop());

const post = (who, p, body) => who(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const upload = (who, bytes, type = 'application/octet-stream') => who('/api/v1/files', { method: 'POST', headers: { 'Content-Type': type }, body: bytes });
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

// A real 2×2 PNG, written out chunk by chunk.
function png(seed) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(body));
    return Buffer.concat([head, body, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const rows = Buffer.from([0, seed, 0, 0, 0, seed, 0, 0, 0, 0, seed, 0, 0, 0, seed]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');

test('uploads are checked by their bytes and stored once by digest', async () => {
  const photo = png(200);
  const first = await upload(as.grid, photo, 'image/png');
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.deepEqual(first.body, { sha256: sha256(photo), type: 'image/png', size: photo.length });
  const again = await upload(as.grid, photo, 'image/jpeg'); // the declared type is not trusted
  assert.deepEqual(again.body, first.body);
  assert.equal((await upload(as.town, PDF, 'application/pdf')).body.type, 'application/pdf');

  const html = await upload(as.grid, Buffer.from('<html><script>alert(1)</script></html>'), 'image/png');
  assert.equal(html.status, 415);
  assert.match(html.body.error.message, /JPEG、PNG、WebP 图片或 PDF/);
  assert.equal((await upload(as.grid, Buffer.alloc(0))).status, 400);
  const huge = Buffer.concat([photo, Buffer.alloc(8 * 1024 * 1024)]);
  assert.equal((await upload(as.grid, huge, 'image/png')).status, 413);
  assert.equal((await upload(as.watcher, photo, 'image/png')).status, 403, 'observers only read');
});

test('evidence files close a step, join the timeline and are served only within scope', async () => {
  const photo = png(17);
  const digest = (await upload(as.grid, photo, 'image/png')).body.sha256;
  const id = (await post(as.grid, '/api/v1/items', { type: 'problem', title: '村内排水沟堵塞', unit: V1 })).body.id;
  assert.equal((await post(as.grid, `/api/v1/items/${id}/transitions`, { transition: 'start' })).status, 200);

  // A file never uploaded: refused, and nothing changes.
  const unknown = await post(as.grid, `/api/v1/items/${id}/transitions`, { transition: 'finish', files: [{ sha256: 'a'.repeat(64), name: 'x.jpg' }] });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.field, 'files[0].sha256');
  const bad = await post(as.grid, `/api/v1/items/${id}/transitions`, { transition: 'finish', files: [{ sha256: digest, name: '../x.png' }] });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'files[0].name');
  const unchanged = (await as.grid(`/api/v1/items/${id}`)).body;
  assert.equal(unchanged.state, 'in_progress');
  assert.equal(unchanged.timeline.length, 2);

  // The photo alone is the evidence the step needs.
  const done = await post(as.grid, `/api/v1/items/${id}/transitions`, { transition: 'finish', files: [{ sha256: digest, name: '清淤后 现场.png' }] });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  const event = done.body.timeline.at(-1);
  assert.deepEqual(event.files, [{ sha256: digest, name: '清淤后 现场.png', type: 'image/png', size: photo.length, url: `/api/v1/items/${id}/files/${digest}` }]);

  const res = await fetch(srv.url + event.files[0].url, { headers: bearer.town });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('content-disposition'), `inline; filename*=UTF-8''${encodeURIComponent('清淤后 现场.png')}`);
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(photo));

  // Another township cannot see the item, so not its files either; a file
  // not on this item is not served through it.
  assert.equal((await as.other(event.files[0].url)).status, 404);
  const pdf = sha256(PDF);
  assert.equal((await as.grid(`/api/v1/items/${id}/files/${pdf}`)).status, 404);
  assert.equal((await as.grid(`/api/v1/items/${id}/files/not-a-digest`)).status, 404);

  // A comment may carry files without a note.
  const comment = await post(as.town, `/api/v1/items/${id}/comments`, { files: [{ sha256: pdf, name: '验收单.pdf' }] });
  assert.equal(comment.status, 201, JSON.stringify(comment.body));
  assert.equal(comment.body.timeline.at(-1).files[0].type, 'application/pdf');
  assert.equal((await post(as.town, `/api/v1/items/${id}/comments`, {})).status, 400, 'a comment says or shows something');
  const many = Array.from({ length: 11 }, () => ({ sha256: pdf, name: 'a.pdf' }));
  assert.equal((await post(as.town, `/api/v1/items/${id}/comments`, { files: many })).status, 400);
});

test('reassignment (转办): one event listing the changes, checked like any step', async () => {
  const id = (await post(as.grid, '/api/v1/items', { type: 'problem', title: '村道路灯损坏', unit: V1, assignee: '张三' })).body.id;
  const move = (who, body) => post(who, `/api/v1/items/${id}/reassign`, body);

  assert.equal((await move(as.grid, { owner_unit: V2, note: '属邻村路段' })).status, 403, 'a grid worker cannot hand work to another unit');
  assert.equal((await move(as.town, { owner_unit: V2 })).status, 400, 'a reason is required');
  const same = await move(as.town, { assignee: '张三', note: '无变化' });
  assert.equal(same.status, 400);
  assert.match(same.body.error.message, /没有要改变的内容/);
  assert.equal((await move(as.town, { owner_unit: '411121101201', note: '外乡镇' })).status, 403, 'only within the scope');
  assert.equal((await move(as.town, { helper_unit: '411121100999', note: 'x' })).status, 400, 'no such unit in the scope');
  assert.equal((await move(as.town, { helper_unit: '99', note: 'x' })).status, 403, 'outside the scope, whether it exists or not');
  assert.equal((await move(as.town, { helper_unit: '411121101', note: 'x' })).status, 403);
  assert.equal((await move(as.watcher, { assignee: '李四', note: 'x' })).status, 403);

  const byGrid = await move(as.grid, { assignee: '李四', note: '张三外出' });
  assert.equal(byGrid.status, 200, JSON.stringify(byGrid.body));
  assert.equal(byGrid.body.assignee, '李四');

  const moved = await move(as.town, { owner_unit: V2, helper_unit: '411121100', note: '路段属于邻村，乡镇帮扶' });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  assert.equal(moved.body.owner_unit.code, V2);
  assert.equal(moved.body.unit.code, V1, 'the unit it concerns stays');
  const event = moved.body.timeline.at(-1);
  assert.equal(event.kind, 'reassign');
  assert.equal(event.note, '路段属于邻村，乡镇帮扶');
  assert.deepEqual(event.changes, { owner_unit: [V1, V2], helper_unit: ['', '411121100'] });
  assert.equal((await as.grid(`/api/v1/items/${id}`)).status, 404, 'the old owner no longer sees it');

  const audit = (await as.town('/api/v1/audit?unit=411121100')).body;
  assert.ok(audit.items.some((r) => r.action === 'item.reassign' && r.entity === `item:${id}`), JSON.stringify(audit).slice(0, 300));
});

test('a finished item is not reassigned', async () => {
  const id = (await post(as.town, '/api/v1/items', { type: 'dispatch', title: '周交办：清理河道', unit: V1 })).body.id;
  for (const [transition, extra] of [['start', {}], ['complete', { note: '已清理' }], ['verify', {}]])
    assert.equal((await post(as.town, `/api/v1/items/${id}/transitions`, { transition, ...extra })).status, 200);
  const late = await post(as.town, `/api/v1/items/${id}/reassign`, { assignee: '王五', note: 'x' });
  assert.equal(late.status, 400);
  assert.match(late.body.error.message, /已办结/);
});
