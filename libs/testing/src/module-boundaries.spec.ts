import { execFileSync } from 'node:child_process';
import path from 'node:path';

// `npm run lint` must fail when the architecture is broken. This lints small imaginary files
// placed in real projects, with the repository's own ESLint configuration and Nx project graph.
// ESLint runs as a child process: its config loader uses dynamic import(), which Jest's VM lacks.
const root = path.resolve(__dirname, '../../..');

async function lintAs(filePath: string, code: string): Promise<string[]> {
  let output: string;
  try {
    output = execFileSync(path.join(root, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', filePath, '--format', 'json'], {
      cwd: root,
      input: code,
      encoding: 'utf8',
    });
  } catch (error) {
    // ESLint exits 1 when it reports errors; its JSON report is still on stdout.
    output = (error as { stdout: string }).stdout;
  }
  const [result] = JSON.parse(output) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries', () => {
  beforeAll(() => {
    // The Nx rule reads the cached project graph; compute it as `npm run lint` does.
    execFileSync(path.join(root, 'node_modules/.bin/nx'), ['show', 'projects'], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      stdio: 'ignore',
    });
  }, 60_000);

  it('refuses an app importing another app', async () => {
    const messages = await lintAs('apps/catalog/src/boundary-probe.ts', "import { publisherService } from '@toolport/publisher';\nexport const x = publisherService;\n");
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('refuses libs/contracts importing another workspace package', async () => {
    const messages = await lintAs('libs/contracts/src/boundary-probe.ts', "import { EVENT_STORE } from '@toolport/event-store';\nexport const x = EVENT_STORE;\n");
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('refuses production code importing libs/testing', async () => {
    const messages = await lintAs('libs/messaging/src/boundary-probe.ts', "import { testInstanceName } from '@toolport/testing';\nexport const x = testInstanceName;\n");
    expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  });

  it('accepts a service importing libraries', async () => {
    const messages = await lintAs('apps/catalog/src/boundary-probe.ts', "import { uuidv7 } from '@toolport/contracts';\nexport const x = uuidv7;\n");
    expect(messages).toEqual([]);
  });
});
