import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** One fault in a document, located by a dotted path (`packages[0].transport.url`, `` for the root). */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** Ajv configured once for the whole project: all errors, standard formats, strict schemas. */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

/** `/packages/0/transport/url` → `packages[0].transport.url` (the form the official validator prints). */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .split('/')
    .slice(1)
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => {
      if (/^\d+$/.test(segment)) return `${path}[${segment}]`;
      return path === '' ? segment : `${path}.${segment}`;
    }, '');
}

export function issuesFromAjv(errors: ErrorObject[] | null | undefined): ValidationIssue[] {
  return (errors ?? []).map((error) => {
    const base = pointerToPath(error.instancePath);
    if (error.keyword === 'required') {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return { path: base === '' ? missing : `${base}.${missing}`, message: `is required` };
    }
    if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      return { path: base === '' ? extra : `${base}.${extra}`, message: 'is not allowed here' };
    }
    return { path: base, message: error.message ?? error.keyword };
  });
}

/** Validate `value` with a compiled Ajv function and return its issues (empty when valid). */
export function collectIssues(validate: ValidateFunction, value: unknown): ValidationIssue[] {
  return validate(value) ? [] : issuesFromAjv(validate.errors);
}
