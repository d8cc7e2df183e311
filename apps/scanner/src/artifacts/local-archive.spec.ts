import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { refusalOf, tempFolder } from './__fixtures__/temp-files';
import { readPackageDirectory, unpackArchiveFile } from './local-archive';

const temp = tempFolder('dir-spec');
afterAll(() => temp.cleanup());

let counter = 0;
function packageDir(files: Record<string, string | Buffer>): string {
  const root = path.join(temp.dir, `pkg-${(counter += 1)}`);
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), data);
  }
  mkdirSync(root, { recursive: true });
  return root;
}

describe('readPackageDirectory', () => {
  it('reads a package folder like an unpacked archive: relative paths, text, binaries, inside links', async () => {
    const root = packageDir({ 'package.json': '{"name":"x"}', 'src/index.ts': 'export {}\n', 'bin/tool': Buffer.from([0, 1, 2, 3]) });
    symlinkSync('src/index.ts', path.join(root, 'main.ts'));
    const result = await readPackageDirectory(root, 'npm', {}, { identifier: 'x', version: '1.0.0' });
    expect(result.findings).toEqual([]);
    expect(result.contents).toMatchObject({ ecosystem: 'npm', identifier: 'x', version: '1.0.0' });
    expect(result.contents!.files.map(({ path, size, text, linkTarget }) => ({ path, size, text, linkTarget }))).toEqual([
      { path: 'bin/tool', size: 4, text: null, linkTarget: undefined },
      { path: 'main.ts', size: 0, text: null, linkTarget: 'src/index.ts' },
      { path: 'package.json', size: 12, text: '{"name":"x"}', linkTarget: undefined },
      { path: 'src/index.ts', size: 10, text: 'export {}\n', linkTarget: undefined },
    ]);
  });

  it('keeps files over the text cap listed without reading them whole', async () => {
    const root = packageDir({ 'big.js': 'a'.repeat(5000), 'small.js': 'b' });
    const result = await readPackageDirectory(root, 'npm', { maxTextBytes: 1000 });
    expect(result.contents!.files.map((f) => [f.path, f.size, f.text])).toEqual([['big.js', 5000, null], ['small.js', 1, 'b']]);
  });

  it('refuses a link leaving the folder, never following it', async () => {
    const root = packageDir({ 'index.js': '' });
    symlinkSync('../../../etc/passwd', path.join(root, 'passwd'));
    const refusal = refusalOf(await readPackageDirectory(root, 'npm'));
    expect(refusal).toMatchObject({ ruleId: 'TP-ART-002', severity: 'critical', location: 'passwd' });
    expect(refusal.message).toMatch(/symbolic link leaving the package/);
  });

  it('refuses a setuid file and a FIFO', async () => {
    const setuid = packageDir({ 'run.sh': '#!/bin/sh\n' });
    chmodSync(path.join(setuid, 'run.sh'), 0o4755);
    expect(refusalOf(await readPackageDirectory(setuid, 'npm')).message).toMatch(/setuid\/setgid bit in mode 4755/);
    const fifo = packageDir({ 'index.js': '' });
    execFileSync('mkfifo', [path.join(fifo, 'pipe')]);
    expect(refusalOf(await readPackageDirectory(fifo, 'npm')).message).toMatch(/FIFO entry/);
  });

  it('refuses too many entries and too many bytes', async () => {
    const many = packageDir(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.js`, 'x'])));
    expect(refusalOf(await readPackageDirectory(many, 'npm', { maxEntries: 5 })).message).toMatch(/more than 5 entries/);
    const heavy = packageDir({ 'a.bin': Buffer.alloc(3000), 'b.bin': Buffer.alloc(3000) });
    expect(refusalOf(await readPackageDirectory(heavy, 'npm', { maxInflatedBytes: 5000, maxEntryBytes: 5000 })).message).toMatch(/inflates past the 5000-byte limit/);
  });
});

describe('unpackArchiveFile', () => {
  it('refuses an unknown extension and reports a missing file as an error, not a finding', async () => {
    await expect(unpackArchiveFile(path.join(temp.dir, 'x.rar'))).rejects.toThrow(/not a .tgz, .tar.gz, .zip, .mcpb or .whl archive/);
    await expect(unpackArchiveFile(path.join(temp.dir, 'missing.zip'))).rejects.toThrow(/ENOENT/);
    await expect(unpackArchiveFile(path.join(temp.dir, 'missing.tgz'))).rejects.toThrow(/ENOENT/);
  });
});
