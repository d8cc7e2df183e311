import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Verdaccio {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /**
   * Publishes a package made of `packageJson`, a README and any `files` (relative path → content)
   * with the real npm CLI, scripts off.
   */
  publish(packageJson: Record<string, unknown>, files?: Readonly<Record<string, string>>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Verdaccio 5 on a free loopback port, with its config and storage in a fresh temp
 * folder and no uplinks (it never reaches the internet). Anonymous users may publish, so no
 * account is needed; the npm CLI still insists on a token, which Verdaccio ignores.
 */
export async function startVerdaccio(): Promise<Verdaccio> {
  const dir = await mkdtemp(path.join(tmpdir(), 'toolport-verdaccio-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = path.join(dir, 'config.yaml');
  await writeFile(
    configFile,
    [
      `storage: ${JSON.stringify(path.join(dir, 'storage'))}`,
      'auth:',
      '  htpasswd:',
      `    file: ${JSON.stringify(path.join(dir, 'htpasswd'))}`,
      'uplinks: {}',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $anonymous',
      'web:',
      '  enable: false',
      'log: { type: stdout, format: json, level: warn }',
      '',
    ].join('\n'),
  );
  const npmrc = path.join(dir, 'npmrc');
  await writeFile(npmrc, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=anonymous\n`);
  const bin = path.join(path.dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio');
  const child = spawn(process.execPath, [bin, '--config', configFile, '--listen', `127.0.0.1:${port}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  try {
    await waitForPing(url, child, () => output);
  } catch (error) {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  // One npm environment for every publish: this folder's npmrc and cache, not the user's.
  const npmEnv = { ...process.env, NPM_CONFIG_USERCONFIG: npmrc, NPM_CONFIG_CACHE: path.join(dir, 'npm-cache'), NPM_CONFIG_UPDATE_NOTIFIER: 'false', NPM_CONFIG_AUDIT: 'false', NPM_CONFIG_FUND: 'false' };
  let counter = 0;
  return {
    url,
    async publish(packageJson, files = {}) {
      const folder = path.join(dir, `package-${(counter += 1)}`);
      await mkdir(folder);
      await writeFile(path.join(folder, 'package.json'), JSON.stringify(packageJson, null, 2));
      await writeFile(path.join(folder, 'README.md'), `# ${String(packageJson['name'])}\n`);
      for (const [name, content] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
        await writeFile(path.join(folder, name), content);
      }
      await run('npm', ['publish', '--registry', url, '--ignore-scripts', '--access', 'public'], { cwd: folder, env: npmEnv, timeout: 60_000 });
    },
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/-/ping`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer ${url}/-/ping within 45 s:\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
