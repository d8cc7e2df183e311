import { AuditApiError, type AuditApi, HttpAuditApi } from './audit-api-client';
import { UsageError, VERIFIER_USAGE, type VerifierCommand, type VerifierOptions } from './config';
import { verifyLog } from './verify-log';

export interface CliOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Exit statuses, as --help documents them. */
export const EXIT_VERIFIED = 0;
export const EXIT_NOT_VERIFIED = 1;
export const EXIT_USAGE = 2;

/**
 * The verifier from arguments to exit status. `load` reads the command (config.ts), so a test can
 * hand it arguments and an environment of its own; `apiFor` is the HTTP client unless replaced.
 * Passed checks go to stdout; every failed or skipped check is one line on stderr, then a summary.
 */
export async function runVerifierCli(
  load: () => VerifierCommand,
  output: CliOutput,
  apiFor: (options: VerifierOptions) => AuditApi = (options) => new HttpAuditApi(options),
): Promise<number> {
  let command: VerifierCommand;
  try {
    command = load();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.stderr(`audit:verify: ${error.message}\nRun with --help for the options.\n`);
    return EXIT_USAGE;
  }
  if (command.kind === 'help') {
    output.stdout(`${VERIFIER_USAGE}\n`);
    return EXIT_VERIFIED;
  }

  const { options } = command;
  let report;
  try {
    report = await verifyLog(options, apiFor(options));
  } catch (error) {
    // verifyLog reports request failures as checks; anything else is a bug worth its stack.
    const message = error instanceof AuditApiError ? error.message : ((error as Error).stack ?? String(error));
    output.stderr(`audit:verify: ${message}\n`);
    return EXIT_NOT_VERIFIED;
  }

  if (options.json) {
    output.stdout(`${JSON.stringify({ url: options.baseUrl, ...report }, null, 2)}\n`);
    return report.ok ? EXIT_VERIFIED : EXIT_NOT_VERIFIED;
  }
  for (const { status, detail } of report.checks) {
    if (status === 'ok') output.stdout(`ok    ${detail}\n`);
    else output.stderr(`${status === 'fail' ? 'FAIL' : 'SKIP'}  ${detail}\n`);
  }
  const failed = report.checks.filter((check) => check.status !== 'ok').length;
  if (report.ok) {
    output.stdout(`verified: ${report.checks.length} checks passed for ${options.baseUrl} with key ${report.keyId}\n`);
    return EXIT_VERIFIED;
  }
  output.stderr(`NOT VERIFIED: ${failed} of ${report.checks.length} checks failed or could not run for ${options.baseUrl} with key ${report.keyId}\n`);
  return EXIT_NOT_VERIFIED;
}
