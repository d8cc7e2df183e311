import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { Public } from '@toolport/auth';
import { validateServerJson, validateServerJsonText, type ValidationReport } from './validate-server-json';
import { SERVER_JSON_RULES, type ServerJsonRuleOptions } from './remote-url-policy';
import { RawValidateBody } from './validate-raw-body';

/** The official API versions; both serve the same handler (BEHAVIOUR.md §1, `router/v0.go`). */
export const OFFICIAL_API_VERSIONS = ['v0', 'v0.1'] as const;
export const VALIDATE_ROUTES: readonly string[] = OFFICIAL_API_VERSIONS.map((version) => `/${version}/validate`);

/** `POST /v0(.1)/validate`: the full report for a server.json, always 200, no token needed (as upstream). */
@Controller([...OFFICIAL_API_VERSIONS])
export class ValidateController {
  constructor(@Inject(SERVER_JSON_RULES) private readonly rules: ServerJsonRuleOptions) {}

  @Post('validate')
  @Public()
  @HttpCode(200)
  validate(@Body() body: unknown): ValidationReport {
    if (body instanceof RawValidateBody) return validateServerJsonText(body.text, this.rules);
    // Without the raw-body parser (the module installs it) the body arrives parsed, or absent.
    return body === undefined ? validateServerJsonText('', this.rules) : validateServerJson(body, this.rules);
  }
}
