/**
 * Schema names are interpolated into SQL (identifiers cannot be bound as parameters), so they
 * are checked against this pattern first: lower-case, unquoted-safe, at most 63 bytes
 * (Postgres truncates identifiers at NAMEDATALEN - 1 = 63).
 */
export const SCHEMA_NAME_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME_PATTERN.test(schema)) {
    throw new Error(`schema name "${schema}" is invalid: use 1-63 characters a-z, 0-9 and _, starting with a letter`);
  }
  return schema;
}
