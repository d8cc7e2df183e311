import type { McpTool } from '@toolport/contracts';

/** A tool registration found in source, with where it was found. */
export interface ExtractedTool {
  tool: McpTool;
  path: string;
  line: number;
  /**
   * False when the description is built at run time (concatenation with variables, a function
   * call): the literal text is unknown, so it is not compared with the declaration.
   */
  literalDescription: boolean;
  /**
   * How it was found: a registration call (`server.tool`, `registerTool`, `addTool`, `@mcp.tool`,
   * a ListTools handler's array) or only a free-standing `{ name, inputSchema }` object, which
   * may be something else shaped like a tool (weaker evidence when it contradicts a declaration).
   */
  via?: 'registration' | 'definition-object';
}

/** JSON Schema `type` for common type names of zod, Python annotations and TypeScript. */
export function jsonType(name: string): string | undefined {
  const n = name.toLowerCase();
  if (/^(?:string|str|enum|nativeenum|literal|url|email|uuid)$/.test(n)) return n === 'enum' || n === 'nativeenum' || n === 'literal' ? undefined : 'string';
  if (/^(?:number|float|double|bigint)$/.test(n)) return 'number';
  if (/^(?:int|integer)$/.test(n)) return 'integer';
  if (/^(?:boolean|bool)$/.test(n)) return 'boolean';
  if (/^(?:array|list|tuple|set|sequence)$/.test(n)) return 'array';
  if (/^(?:object|dict|record|mapping)$/.test(n)) return 'object';
  return undefined;
}
