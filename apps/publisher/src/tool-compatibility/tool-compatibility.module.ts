import { Module } from '@nestjs/common';
import { NamespacePoliciesController } from './namespace-policies.controller';
import { NamespacePolicyReader } from './namespace-policy-reader';

/**
 * Namespace semver policies: `PUT /api/v1/namespaces/policy`, `GET /api/v1/namespaces/policies`,
 * and NamespacePolicyReader for the publish path. Needs EVENT_STORE (global in a service app,
 * from PlatformModule) and the auth guard (AuthModule).
 */
@Module({
  controllers: [NamespacePoliciesController],
  providers: [NamespacePolicyReader],
  exports: [NamespacePolicyReader],
})
export class ToolCompatibilityModule {}
