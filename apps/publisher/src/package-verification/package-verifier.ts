import type { ServerDetail } from '@toolport/contracts';
import type { PackageFetcher } from './http-fetcher';
import type { PackageVerificationOptions } from './package-verification.config';
import { verifyPackages } from './package-verification';
import type { VerificationIssue } from './verification-issue';

/** What the publish controller calls: verifyPackages bound to this service's options and outbound fetcher. */
export class PackageVerifier {
  constructor(
    private readonly options: PackageVerificationOptions,
    private readonly fetcher: PackageFetcher,
  ) {}

  verify(server: ServerDetail): Promise<VerificationIssue[]> {
    return verifyPackages(server, this.options, this.fetcher);
  }
}
