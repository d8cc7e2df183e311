import { describeUrl, FetchError } from '@toolport/platform';

export type IssueSeverity = 'error' | 'warning';

/** One finding about one package, in the shape of the official `/validate` issues (`path`, `message`, `severity`). */
export interface VerificationIssue {
  /** JSON path into the server.json, e.g. `packages[0].identifier`. */
  path: string;
  message: string;
  severity: IssueSeverity;
  /** True when the check could not run (timeout, 5xx, network, 429): publishing again later may pass. */
  retryable?: boolean;
}

export const errorIssue = (path: string, message: string): VerificationIssue => ({ path, message, severity: 'error' });
export const warningIssue = (path: string, message: string): VerificationIssue => ({ path, message, severity: 'warning' });

/**
 * The issue for a fetch that failed for a reason the validator has no specific message for.
 * Transient failures stay errors (a publish must not silently skip an ownership check) and say
 * so: the package may be fine, the registry was not reachable.
 */
export function fetchFailureIssue(path: string, subject: string, error: unknown): VerificationIssue {
  if (!(error instanceof FetchError)) throw error;
  const where = describeUrl(error.url);
  switch (error.kind) {
    case 'timeout':
    case 'network':
      return retryable(path, `Could not verify ${subject}: ${error.message}. Try again later.`);
    case 'server-error':
      return retryable(path, `Could not verify ${subject}: ${where} answered ${error.status}. Try again later.`);
    case 'rate-limited':
      return retryable(path, `Could not verify ${subject}: ${where} is rate-limiting requests (429). Try again later.`);
    case 'too-large':
      return errorIssue(path, `Could not verify ${subject}: ${error.message}.`);
    case 'not-found':
    case 'unauthorized':
      return errorIssue(path, `${capitalize(subject)} not found or not accessible: ${where} answered ${error.status}.`);
    case 'redirect':
    case 'invalid-url':
    case 'invalid-response':
    case 'http-status':
      return errorIssue(path, `Could not verify ${subject}: ${error.message}.`);
    case 'refused':
      // Not retryable: the same URL is refused again until the operator changes the policy.
      return errorIssue(
        path,
        `Could not verify ${subject}: ${error.message}. This registry does not connect to loopback, private, link-local or cloud metadata ` +
          'addresses named by published data; if this is an internal registry, its operator can allow its range with TOOLPORT_PUBLISHER_ALLOW_CIDRS ' +
          '(or list it in TOOLPORT_ALLOWED_REGISTRY_URLS).',
      );
  }
}

function retryable(path: string, message: string): VerificationIssue {
  return { path, message, severity: 'error', retryable: true };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
