import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CompatibilityReport, ToolportError } from '@toolport/contracts';
import { findVersion } from './server';
import { ServerCommands } from './server-commands';

/** The compatibility report recorded with a version when it was published. */
@ApiTags('publish')
@Controller('api/v1/servers')
export class CompatibilityController {
  constructor(@Inject(ServerCommands) private readonly servers: ServerCommands) {}

  @Get(':serverName/versions/:version/compatibility')
  @ApiOperation({ summary: 'How this version’s tools compare with the highest earlier semver version' })
  async compatibility(@Param('serverName') serverName: string, @Param('version') version: string): Promise<CompatibilityReport & { serverName: string; version: string }> {
    const state = await this.servers.load(serverName);
    if (state.versions.length === 0) throw new ToolportError('not_found', 'SERVER_NOT_FOUND', `Server not found: ${serverName}`);
    const record = findVersion(state, version);
    if (!record) throw new ToolportError('not_found', 'VERSION_NOT_FOUND', `Server version not found: ${serverName} ${version}`);
    return { serverName, version, ...record.compatibility };
  }
}
