import type { ServerDetail } from '@toolport/contracts';
import type { PackageFetcher } from '@toolport/platform';
import type { PackageVerificationOptions } from './package-verification.config';
import { ownershipProven, verifyPackages } from './package-verification';
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

  /** After `verify` found no error: does the publish prove ownership of every package? */
  provesOwnership(server: ServerDetail): boolean {
    return ownershipProven(server, this.options);
  }
}
