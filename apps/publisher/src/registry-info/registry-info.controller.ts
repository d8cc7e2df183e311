import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@toolport/auth';

export interface RegistryInfo {
  version: string;
  gitCommit: string;
  buildTime: string;
  /** The official `/health` carries the GitHub OAuth client id `mcp-publisher login github` uses. */
  githubClientId: string | null;
}

export const REGISTRY_INFO = Symbol.for('toolport.publisher.RegistryInfo');

/** The official registry's `/health`, `/ping` and `/version` (mcp-publisher calls `/v0/health`). */
@ApiTags('registry')
@Public()
@Controller(['v0', 'v0.1'])
export class RegistryInfoController {
  constructor(@Inject(REGISTRY_INFO) private readonly info: RegistryInfo) {}

  @Get('health')
  @ApiOperation({ summary: 'Registry health, as the official registry answers it' })
  health(): { status: 'ok'; github_client_id?: string } {
    return { status: 'ok', ...(this.info.githubClientId ? { github_client_id: this.info.githubClientId } : {}) };
  }

  @Get('ping')
  ping(): { pong: true } {
    return { pong: true };
  }

  @Get('version')
  version(): { version: string; git_commit: string; build_time: string } {
    return { version: this.info.version, git_commit: this.info.gitCommit, build_time: this.info.buildTime };
  }
}
