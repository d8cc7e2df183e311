import { deflateRawSync } from 'node:zlib';
import { buildZip, localRecord, zipArchive, type ZipEntrySpec } from './__fixtures__/archive-builders';
import { refusalOf, tempFolder } from './__fixtures__/temp-files';
import { unpackArchiveFile } from './local-archive';
import type { UnpackLimits } from './unpack-limits';

const temp = tempFolder('zip-spec');
afterAll(() => temp.cleanup());

const unpackZip = (entries: ZipEntrySpec[], limits: Partial<UnpackLimits> = {}, name = 'bundle.mcpb') => unpackArchiveFile(temp.write(name, zipArchive(entries)), limits);

async function expectUnsafe(zip: Buffer, reason: RegExp, entry: string | RegExp, limits: Partial<UnpackLimits> = {}) {
  const refusal = refusalOf(await unpackArchiveFile(temp.write('hostile.zip', zip), limits));
  expect(refusal).toMatchObject({ ruleId: 'TP-ART-002', severity: 'critical' });
  expect(refusal.location).toMatch(entry instanceof RegExp ? entry : new RegExp(`^${entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  expect(refusal.message).toMatch(reason);
}

describe('zip unpacking: benign archives', () => {
  it('unpacks an mcpb bundle: stored and deflated files, folders, binaries, modes, an inside symlink', async () => {
    const result = await unpackZip([
      { name: 'manifest.json', data: '{"manifest_version":"0.2"}' },
      { name: 'server/', mode: 0o040755 },
      { name: 'server/index.js', data: 'console.log("hi")\n'.repeat(50), deflate: true, mode: 0o100755 },
      { name: 'icon.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) },
      { name: 'server/main.js', data: 'index.js', mode: 0o120777 },
    ]);
    expect(result.findings).toEqual([]);
    expect(result.contents).toMatchObject({ ecosystem: 'mcpb' });
    expect(result.contents!.files).toEqual([
      { path: 'icon.png', size: 8, text: null, mode: 0o644 },
      { path: 'manifest.json', size: 26, text: '{"manifest_version":"0.2"}', mode: 0o644 },
      { path: 'server/index.js', size: 900, text: 'console.log("hi")\n'.repeat(50), mode: 0o755 },
      { path: 'server/main.js', size: 0, text: null, mode: 0o777, linkTarget: 'index.js' },
    ]);
  });

  it('reads a wheel as a PyPI package, unstripped', async () => {
    const result = await unpackZip([{ name: 'demo/__init__.py', data: 'x = 1\n' }, { name: 'demo-1.0.dist-info/METADATA', data: 'Name: demo\n' }], {}, 'demo-1.0-py3-none-any.whl');
    expect(result.contents!.ecosystem).toBe('pypi');
    expect(result.contents!.files.map((f) => f.path)).toEqual(['demo-1.0.dist-info/METADATA', 'demo/__init__.py']);
  });
});

describe('zip unpacking: hostile archives are refused with the entry and the reason', () => {
  it.each([
    ['an absolute path', '/etc/cron.d/evil', /absolute path/],
    ['a ../ segment', 'server/../../evil.js', /parent directory segment/],
    ['a ..\\ segment', 'server\\..\\..\\evil.js', /parent directory segment/],
    ['a drive letter', 'C:\\evil.dll', /Windows drive letter/],
  ])('%s', async (_what, name, reason) => {
    await expectUnsafe(zipArchive([{ name: 'manifest.json', data: '{}' }, { name, data: 'x' }]), reason, name);
  });

  it('a symlink leaving the bundle (its target is the entry data)', async () => {
    await expectUnsafe(zipArchive([{ name: 'server/key', data: '../../.ssh/id_rsa', mode: 0o120777 }]), /symbolic link leaving the package \(-> '..\/..\/.ssh\/id_rsa'\)/, 'server/key');
  });

  it('a device and a FIFO by their Unix mode', async () => {
    await expectUnsafe(zipArchive([{ name: 'tty', mode: 0o020666 }]), /device entry/, 'tty');
    await expectUnsafe(zipArchive([{ name: 'pipe', mode: 0o010644 }]), /FIFO entry/, 'pipe');
  });

  it('setuid bits', async () => {
    await expectUnsafe(zipArchive([{ name: 'run.sh', data: 'x', mode: 0o104755 }]), /setuid\/setgid bit in mode 4755/, 'run.sh');
  });

  it('duplicate and case-colliding names', async () => {
    await expectUnsafe(zipArchive([{ name: 'manifest.json', data: '{}' }, { name: 'manifest.json', data: '{"evil":1}' }]), /duplicate name/, 'manifest.json');
    await expectUnsafe(zipArchive([{ name: 'README', data: 'a' }, { name: 'readme', data: 'b' }]), /case-colliding names \('readme' and 'README'\)/, 'readme');
  });

  it('a central directory that names another file than the local header (a lying directory)', async () => {
    await expectUnsafe(zipArchive([{ name: 'README.md', localName: '../evil.sh', data: 'x' }]), /local header names '..\/evil.sh' where the central directory names 'README.md'/, 'README.md');
  });

  it('a stored entry whose sizes disagree', async () => {
    await expectUnsafe(zipArchive([{ name: 'a.js', data: 'x'.repeat(100), declaredSize: 10 }]), /sizes disagree/, /hostile\.zip$/);
  });

  it('a central directory that understates the inflated size', async () => {
    await expectUnsafe(zipArchive([{ name: 'a.js', data: 'x'.repeat(5000), deflate: true, declaredSize: 10 }]), /inflated size differs from the central directory/, 'a.js');
  });

  it('overlapping entries (an entry smuggled inside another one\'s data)', async () => {
    const inner = localRecord('inner.js', 'smuggled');
    const { zip } = buildZip([{ name: 'outer.bin', data: inner }, { name: 'inner.js', data: 'smuggled', offsetOverride: 30 + 'outer.bin'.length }]);
    await expectUnsafe(zip, /entry overlaps 'outer.bin'/, /inner\.js|outer\.bin/);
  });

  it('an encrypted entry', async () => {
    await expectUnsafe(zipArchive([{ name: 'secret.js', data: 'xxxxxxxxxxxx', deflate: true, flags: 1 }]), /encrypted entry/, 'secret.js');
  });

  it('too many entries, from the directory count before reading entries', async () => {
    const entries = Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.js`, data: 'x' }));
    await expectUnsafe(zipArchive(entries), /6 entries, over the limit of 5/, /hostile\.zip$/, { maxEntries: 5 });
  });

  it('a compression bomb: declared sizes over the ratio, refused before inflating anything', async () => {
    const zeros = Buffer.alloc(6 * 1024 * 1024);
    await expectUnsafe(zipArchive([{ name: 'zeros.bin', data: zeros, deflate: true }]), /compression ratio over 100/, /hostile\.zip$/);
  }, 30_000);

  it('a bomb that lies about its size is stopped while inflating', async () => {
    // Declares 1 KiB; inflates to 6 MiB of zeros: the size check or the ratio stops it.
    const zip = zipArchive([{ name: 'zeros.bin', data: Buffer.alloc(6 * 1024 * 1024), deflate: true, declaredSize: 1024 }]);
    expect(deflateRawSync(Buffer.alloc(6 * 1024 * 1024)).byteLength).toBeLessThan(16 * 1024);
    await expectUnsafe(zip, /inflated size differs|compression ratio/, 'zeros.bin');
  }, 30_000);
});

describe('zip unpacking: unreadable archives', () => {
  it('is not a zip at all', async () => {
    const result = await unpackArchiveFile(temp.write('junk.zip', Buffer.from('PK but not really')));
    expect(result.contents).toBeNull();
    expect(result.findings.map((f) => [f.ruleId, f.severity])).toEqual([['TP-ART-003', 'critical']]);
  });

  it('uses an unsupported compression method', async () => {
    const zip = zipArchive([{ name: 'a.js', data: 'x' }]);
    zip.writeUInt16LE(12, 8); // local header: bzip2
    const directoryStart = zip.readUInt32LE(zip.byteLength - 6);
    zip.writeUInt16LE(12, directoryStart + 10); // central directory: bzip2
    const result = await unpackArchiveFile(temp.write('bzip.zip', zip));
    expect(result.findings.map((f) => f.ruleId)).toEqual(['TP-ART-003']);
    expect(result.findings[0]!.message).toMatch(/unsupported compression method 12/);
  });
});
