import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * The official registry's OpenAPI document (verbatim copy of
 * ../shared/reference/official-registry/openapi.yaml, SHA-256 checked by its spec), turned into
 * response validators: tests check Toolport's answers with a real JSON Schema validator
 * (OpenAPI 3.1 = JSON Schema 2020-12), not with hand-written expectations.
 */
export const OFFICIAL_OPENAPI_PATH = path.join(__dirname, 'openapi.yaml');
export const OFFICIAL_OPENAPI_SHA256 = '71ff271089a8b362b8b80e37006ae019b331295d160235db2171ccf811930e59';

interface OpenApiDocument {
  $id: string;
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
  components: { schemas: Record<string, object> };
}

// Absolute ids: relative ones would resolve against each other's paths.
const DOCUMENT_ID = 'https://toolport.invalid/official-openapi.json';

let cached: { document: OpenApiDocument; ajv: Ajv2020 } | undefined;

function load(): { document: OpenApiDocument; ajv: Ajv2020 } {
  if (cached) return cached;
  const document = parse(readFileSync(OFFICIAL_OPENAPI_PATH, 'utf8')) as OpenApiDocument;
  // `example` and other OpenAPI annotations are not JSON Schema keywords: not strict.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
  cached = { document, ajv };
  return cached;
}

/** A validator for the schema of `#/components/schemas/<name>`. */
export function officialSchemaValidator(name: string): ValidateFunction {
  const { ajv } = load();
  const validate = ajv.getSchema(`${DOCUMENT_ID}#/components/schemas/${name}`);
  if (!validate) throw new Error(`no component schema ${name} in the official OpenAPI document`);
  return validate;
}

/** A validator for the documented response of an operation (`/v0.1/publish`, `post`, `200`). */
export function officialResponseValidator(pathTemplate: string, method: string, status: string): ValidateFunction {
  const { document, ajv } = load();
  const schema = document.paths[pathTemplate]?.[method.toLowerCase()]?.responses?.[status]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`the official OpenAPI document has no JSON response for ${method} ${pathTemplate} ${status}`);
  const id = `https://toolport.invalid/responses/${encodeURIComponent(`${method} ${pathTemplate} ${status}`)}.json`;
  return ajv.getSchema(id) ?? ajv.compile({ $id: id, ...rewriteRefs(schema) });
}

/** `#/components/...` refs inside an operation point into the document added as DOCUMENT_ID. */
function rewriteRefs(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value).replace(/"#\/components\//g, `"${DOCUMENT_ID}#/components/`)) as Record<string, unknown>;
}

/** Readable faults of the last validation, for test failure messages. */
export function describeFaults(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}`);
}
