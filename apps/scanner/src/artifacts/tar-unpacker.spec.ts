import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { tgz, type TarEntrySpec } from './__fixtures__/archive-builders';
import { refusalOf, tempFolder } from './__fixtures__/temp-files';
import { unpackArchiveFile } from './local-archive';
import type { UnpackLimits } from './unpack-limits';

const temp = tempFolder('tar-spec');
afterAll(() => temp.cleanup());

const unpackTgz = (entries: TarEntrySpec[], limits: Partial<UnpackLimits> = {}, name = 'pkg.tgz') => unpackArchiveFile(temp.write(name, tgz(entries)), limits);

async function expectUnsafe(entries: TarEntrySpec[], reason: RegExp, entry: string, limits: Partial<UnpackLimits> = {}) {
  const refusal = refusalOf(await unpackTgz(entries, limits));
  expect(refusal).toMatchObject({ ruleId: 'TP-ART-002', severity: 'critical', location: entry });
  expect(refusal.message).toMatch(reason);
}

const file = (name: string, data = 'x'): TarEntrySpec => ({ name, data });

describe('tar.gz unpacking: benign archives', () => {
  it('unpacks an npm tarball: package/ stripped, text kept, binary and modes listed', async () => {
    const result = await unpackTgz([
      { name: 'package/', type: '5', mode: 0o755 },
      file('package/package.json', '{"name":"x","version":"1.0.0"}'),
      { name: 'package/bin/cli.js', data: '#!/usr/bin/env node\nconsole.log(1)\n', mode: 0o755 },
      { name: 'package/native.node', data: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]) },
      { name: 'package/latin1.txt', data: Buffer.from([0x63, 0x61, 0x66, 0xe9]) },
      { name: 'package/alias.js', type: '2', linkname: 'bin/cli.js', mode: 0o777 },
    ]);
    expect(result.findings).toEqual([]);
    expect(result.contents).toMatchObject({ ecosystem: 'npm', version: '' });
    expect(result.contents!.files).toEqual([
      { path: 'alias.js', size: 0, text: null, mode: 0o777, linkTarget: 'bin/cli.js' },
      { path: 'bin/cli.js', size: 35, text: '#!/usr/bin/env node\nconsole.log(1)\n', mode: 0o755 },
      { path: 'latin1.txt', size: 4, text: null, mode: 0o644 },
      { path: 'native.node', size: 8, text: null, mode: 0o644 },
      { path: 'package.json', size: 30, text: '{"name":"x","version":"1.0.0"}', mode: 0o644 },
    ]);
  });

  it('strips the single top folder of an sdist, and only a common one', async () => {
    const sdist = await unpackTgz([file('demo-1.0/setup.py', 'setup()'), file('demo-1.0/demo/__init__.py', '')], {}, 'demo-1.0.tar.gz');
    expect(sdist.contents!.files.map((f) => f.path)).toEqual(['demo/__init__.py', 'setup.py']);
    expect(sdist.contents!.ecosystem).toBe('pypi');
    const mixed = await unpackTgz([file('a/x.py'), file('b/y.py')], {}, 'mixed.tar.gz');
    expect(mixed.contents!.files.map((f) => f.path)).toEqual(['a/x.py', 'b/y.py']);
  });

  it('lists files over the text cap without their text, and stops keeping text past the package budget', async () => {
    const big = await unpackTgz([file('package/big.js', 'a'.repeat(2000)), file('package/small.js', 'b')], { maxTextBytes: 1000 });
    expect(big.contents!.files).toEqual([
      { path: 'big.js', size: 2000, text: null, mode: 0o644 },
      { path: 'small.js', size: 1, text: 'b', mode: 0o644 },
    ]);
    const budget = await unpackTgz([file('package/a.js', 'a'.repeat(600)), file('package/b.js', 'b'.repeat(600))], { maxTotalTextBytes: 1000 });
    expect(budget.contents!.files.map((f) => [f.path, f.text === null])).toEqual([['a.js', false], ['b.js', true]]);
    expect(budget.findings.map((f) => [f.ruleId, f.severity, f.location])).toEqual([['TP-ART-008', 'medium', 'b.js']]);
  });
});

describe('tar.gz unpacking: hostile archives are refused with the entry and the reason', () => {
  it.each([
    ['an absolute path', '/etc/passwd', /absolute path/],
    ['a ../ segment', 'package/../../evil.js', /parent directory segment/],
    ['a ..\\ segment', 'package\\..\\..\\evil.js', /parent directory segment/],
    ['a Windows drive letter', 'C:\\Windows\\evil.dll', /Windows drive letter/],
    ['a drive letter with a slash', 'c:/evil.js', /Windows drive letter/],
  ])('%s', async (_what, name, reason) => {
    await expectUnsafe([file('package/index.js'), file(name)], reason, name);
  });

  it('a symlink leaving the package', async () => {
    await expectUnsafe([{ name: 'package/creds', type: '2', linkname: '../../../home/user/.ssh/id_rsa' }], /symbolic link leaving the package \(-> '..\/..\/..\/home\/user\/.ssh\/id_rsa'\)/, 'package/creds');
    await expectUnsafe([{ name: 'package/abs', type: '2', linkname: '/etc/passwd' }], /symbolic link leaving the package/, 'package/abs');
  });

  it('a symlink that stays in the archive but leaves the package once package/ is removed', async () => {
    await expectUnsafe([file('package/index.js'), file('outside.js'), { name: 'package/l', type: '2', linkname: '../outside.js' }], /symbolic link leaving the package/, 'package/l');
  });

  it('a hard link, even to a file inside', async () => {
    await expectUnsafe([file('package/index.js'), { name: 'package/copy.js', type: '1', linkname: 'package/index.js' }], /hard link to 'package\/index.js'/, 'package/copy.js');
  });

  it.each([
    ['a character device', '3', /device entry \(character-device\)/],
    ['a block device', '4', /device entry \(block-device\)/],
    ['a FIFO', '6', /FIFO entry/],
  ])('%s', async (_what, type, reason) => {
    await expectUnsafe([{ name: 'package/dev', type }], reason, 'package/dev');
  });

  it('a typeflag the parser does not know (GNU sparse file)', async () => {
    await expectUnsafe([{ name: 'package/sparse', type: 'S', data: 'x' }], /unsupported entry type unknown typeflag/, 'package/sparse');
  });

  it('setuid and setgid bits', async () => {
    await expectUnsafe([{ name: 'package/run', data: 'x', mode: 0o4755 }], /setuid\/setgid bit in mode 4755/, 'package/run');
    await expectUnsafe([{ name: 'package/run', data: 'x', mode: 0o2755 }], /setuid\/setgid bit in mode 2755/, 'package/run');
  });

  it('duplicate names, also spelled differently', async () => {
    await expectUnsafe([file('package/a.js', 'one'), file('package/a.js', 'two')], /duplicate name/, 'package/a.js');
    await expectUnsafe([file('package/a.js', 'one'), file('package/./a.js', 'two')], /duplicate name/, 'package/./a.js');
    await expectUnsafe([file('package/a.js', 'one'), file('package//a.js', 'two')], /duplicate name/, 'package//a.js');
  });

  it('names that collide once package/ is removed', async () => {
    await expectUnsafe([file('package/a.js'), file('other/a.js')], /duplicate name 'a.js' once the top folder is removed/, 'other/a.js');
  });

  it('case-colliding names (README and readme), and Unicode spellings of one name', async () => {
    await expectUnsafe([file('package/README'), file('package/readme')], /case-colliding names \('package\/readme' and 'package\/README'\)/, 'package/readme');
    await expectUnsafe([file('package/Lib/a.js'), file('package/lib/b.js')], /case-colliding names/, 'package/lib/b.js');
    await expectUnsafe([file('package/caf\u00e9.js'), file('package/cafe\u0301.js')], /case-colliding names/, 'package/cafe\u0301.js');
  });

  it('a name that is both a file and a folder', async () => {
    await expectUnsafe([file('package/lib'), file('package/lib/x.js')], /'package\/lib' is both a file and a folder/, 'package/lib/x.js');
  });

  it('too many entries', async () => {
    const entries = Array.from({ length: 11 }, (_, i) => file(`package/f${i}.js`));
    await expectUnsafe(entries, /more than 10 entries/, 'package/f10.js', { maxEntries: 10 });
  });

  it('an entry declared larger than the per-entry limit, before reading it', async () => {
    await expectUnsafe([file('package/big.bin', 'x'.repeat(5000))], /entry of 5000 bytes is over the 4096-byte limit/, 'package/big.bin', { maxEntryBytes: 4096 });
  });

  it('more inflated bytes than the limit (incompressible data, so not the ratio)', async () => {
    const refusal = refusalOf(await unpackTgz([{ name: 'package/noise.bin', data: randomBytes(200_000) }], { maxInflatedBytes: 100_000, maxEntryBytes: 100_000 }));
    expect(refusal.ruleId).toBe('TP-ART-002');
    expect(refusal.message).toMatch(/over the 100000-byte limit|inflates past the 100000-byte limit/);
  });

  it('a compression bomb: a gzip of zeros trips the ratio long before its size', async () => {
    // 16 MiB of zeros gzip to ~16 KiB; the ratio check stops it after the 2 MiB floor.
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const refusal = refusalOf(await unpackArchiveFile(temp.write('bomb.tgz', bomb)));
    expect(refusal).toMatchObject({ ruleId: 'TP-ART-002', severity: 'critical' });
    expect(refusal.location).toMatch(/bomb\.tgz$/);
    expect(refusal.message).toMatch(/compression ratio over 100 .*a compression bomb/);
  }, 30_000);

  it('a bomb hidden in a real entry with the ratio disabled is still stopped by the inflated limit', async () => {
    const refusal = refusalOf(await unpackTgz([{ name: 'package/zeros.bin', data: Buffer.alloc(3 * 1024 * 1024) }], { maxCompressionRatio: 100_000, maxInflatedBytes: 1024 * 1024, maxEntryBytes: 1024 * 1024 }));
    expect(refusal.message).toMatch(/over the 1048576-byte limit/);
  });
});

describe('tar.gz unpacking: unreadable archives', () => {
  it('is not gzip, is truncated, or has a bad tar header', async () => {
    const notGzip = await unpackArchiveFile(temp.write('plain.tgz', Buffer.from('hello, not an archive')));
    expect(notGzip.findings.map((f) => [f.ruleId, f.severity])).toEqual([['TP-ART-003', 'critical']]);
    expect(notGzip.findings[0]!.message).toMatch(/not a valid gzip stream/);
    const whole = tgz([file('package/a.js', 'x'.repeat(4000))]);
    const truncated = await unpackArchiveFile(temp.write('cut.tgz', whole.subarray(0, whole.byteLength - 40)));
    expect(truncated.findings.map((f) => f.ruleId)).toEqual(['TP-ART-003']);
    const garbage = await unpackArchiveFile(temp.write('garbage.tgz', gzipSync(Buffer.alloc(1024, 0x41))));
    expect(garbage.findings[0]!.message).toMatch(/not a valid tar archive/);
  });
});
