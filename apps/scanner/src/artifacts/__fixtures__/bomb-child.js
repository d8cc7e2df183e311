// Child process for bomb-memory.int-spec.ts: fetches one npm "tarball" from the registry given in
// argv[2] and prints its peak RSS, so the figure is the fetcher's alone, not Jest's.
// TypeScript sources are compiled on load with SWC (as Jest does) and @toolport/* resolve to
// libs/*/src, so no build is needed.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '../../../../..');
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...swcrc, swcrc: false, sourceMaps: false, filename });
  module._compile(code, filename);
};
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const workspace = /^@toolport\/([a-z-]+)$/.exec(request);
  if (workspace) return path.join(root, 'libs', workspace[1], 'src', 'index.ts');
  return resolveFilename.call(this, request, ...rest);
};

const { fetchArtifact, readArtifactConfig, createArtifactHttpFetcher } = require(path.join(root, 'apps/scanner/src/artifacts/index.ts'));
const { EnvReader } = require('@toolport/config');

async function main() {
  const [registryUrl, env] = [process.argv[2], JSON.parse(process.argv[3] ?? '{}')];
  // The registry is a loopback server: allow-listed explicitly, as the scanner refuses loopback by default.
  const config = readArtifactConfig(new EnvReader({ TOOLPORT_SCANNER_NPM_REGISTRY: registryUrl, TOOLPORT_SCANNER_ALLOW_CIDRS: '127.0.0.0/8', ...env }));
  const deps = { fetcher: createArtifactHttpFetcher(config), config };
  const pkg = (identifier) => ({ registryType: 'npm', identifier, version: '1.0.0', transport: { type: 'stdio' } });
  // Warm up on a small benign package so that loaded code and first-use allocations are in the baseline.
  const warmup = await fetchArtifact(pkg('small'), deps);
  const baselineRss = process.memoryUsage().rss;
  const started = process.resourceUsage().maxRSS * 1024;
  const result = await fetchArtifact(pkg('bomb'), deps);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ warmupFiles: warmup.contents && warmup.contents.files.length, baselineRss, maxRssBefore: started, peakRss, contents: result.contents, findings: result.findings }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
