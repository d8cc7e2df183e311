import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describeFaults, OFFICIAL_OPENAPI_PATH, OFFICIAL_OPENAPI_SHA256, officialResponseValidator, officialSchemaValidator } from './official-openapi';

describe('official OpenAPI document', () => {
  it('is the verbatim upstream copy', () => {
    expect(createHash('sha256').update(readFileSync(OFFICIAL_OPENAPI_PATH)).digest('hex')).toBe(OFFICIAL_OPENAPI_SHA256);
  });

  const response = {
    server: { name: 'io.github.acme/weather', description: 'Weather', version: '1.0.0' },
    _meta: {
      'io.modelcontextprotocol.registry/official': {
        status: 'active',
        statusChangedAt: '2026-01-01T00:00:00Z',
        publishedAt: '2026-01-01T00:00:00Z',
        updatedAt: '2026-01-01T00:00:00Z',
        isLatest: true,
      },
    },
  };

  it('accepts a well-formed ServerResponse and refuses broken ones', () => {
    const validate = officialResponseValidator('/v0.1/publish', 'post', '200');
    expect(validate(response)).toBe(true);
    expect(validate({ ...response, server: { ...response.server, name: 'no-slash' } })).toBe(false);
    const badStatus = structuredClone(response);
    badStatus._meta['io.modelcontextprotocol.registry/official'].status = 'gone';
    expect(validate(badStatus)).toBe(false);
    expect(describeFaults(validate).join('\n')).toMatch(/status/);
    expect(officialSchemaValidator('ServerResponse')({})).toBe(false);
  });
});
