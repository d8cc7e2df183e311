import type { Logger } from '@nestjs/common';
import { exchangeFailed, ExchangeRefused, type ExchangeMethod } from './exchange-failure';
import type { ExchangeGrant, ExchangeRequest, RegistryTokenIssuer, RegistryTokenResponse } from './registry-token.issuer';

/**
 * Runs one exchange: the proof, then the token (recorded as TokenIssued, then signed). A refused
 * proof becomes the method's 401; the log records who got which grants, or why not, and never
 * the token or the signature.
 */
export class TokenExchangeRunner {
  constructor(
    private readonly issuer: RegistryTokenIssuer,
    private readonly logger: Pick<Logger, 'log'>,
  ) {}

  async run(method: ExchangeMethod, request: ExchangeRequest, prove: () => Promise<ExchangeGrant>): Promise<RegistryTokenResponse> {
    let grant: ExchangeGrant;
    try {
      grant = await prove();
    } catch (error) {
      if (!(error instanceof ExchangeRefused)) throw error;
      this.logger.log(`${method} token exchange refused: ${error.reason}`);
      throw exchangeFailed(method, error.reason);
    }
    const issued = await this.issuer.issue(grant, request);
    const grants = grant.permissions.map((p) => `${p.action} ${p.resource}`).join(', ');
    this.logger.log(
      `registry token ${issued.tokenId} issued to ${grant.subject} (${method}): ${grants}; expires ${issued.expiresAt.toISOString()}`,
    );
    return issued.response;
  }
}
