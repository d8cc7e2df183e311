// The standalone audit-log verifier: `npm run audit:verify -- --help`. It loads none of the
// service (no Nest, no database, no telemetry): only node:crypto, fetch and the transparency-log code.
import { runVerifierCli } from './cli';
import { loadVerifierCommand } from './config';

void runVerifierCli(loadVerifierCommand, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`audit:verify: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
