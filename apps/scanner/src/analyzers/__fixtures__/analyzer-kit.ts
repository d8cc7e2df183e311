import type { McpTool } from '@toolport/contracts';
import type { Analyzer, AnalyzerContext, Finding } from '../finding';
import { type ToolField, toolFields } from '../tool-fields';

/** Test helpers for the analyzer specs: build tools tersely and run one analyzer over them. */

export interface ToolSpec {
  name?: string;
  title?: string;
  description?: string;
  /** Parameters of the input schema; a string is shorthand for `{type:'string', description}`, '' for no description. */
  params?: Record<string, string | Record<string, unknown>>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

export function tool(spec: ToolSpec): McpTool {
  const properties = Object.fromEntries(
    Object.entries(spec.params ?? {}).map(([name, p]) => [name, typeof p === 'string' ? (p === '' ? { type: 'string' } : { type: 'string', description: p }) : p]),
  );
  return {
    name: spec.name ?? 'sample_tool',
    ...(spec.title !== undefined ? { title: spec.title } : {}),
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    inputSchema: { type: 'object', properties },
    ...(spec.outputSchema ? { outputSchema: spec.outputSchema as McpTool['outputSchema'] } : {}),
    ...(spec.annotations ? { annotations: spec.annotations } : {}),
  } as McpTool;
}

export interface RunOptions {
  serverToolNames?: string[];
  rescan?: (fields: readonly ToolField[], layer: string) => Finding[];
  layers?: string[];
  fields?: ToolField[];
}

export function run(analyzer: Analyzer, subject: McpTool, options: RunOptions = {}): Finding[] {
  const context: AnalyzerContext = {
    fields: options.fields ?? toolFields(subject),
    serverToolNames: new Set(options.serverToolNames ?? [subject.name]),
    layers: options.layers ?? [],
    rescan: options.rescan ?? (() => []),
  };
  return analyzer.analyzeTool(subject, context);
}

/** `ruleId severity location` lines: what most assertions compare. */
export const summary = (findings: readonly Finding[]): string[] => findings.map((f) => `${f.ruleId} ${f.severity} ${f.location}`);

/** The worst severity an analyzer reported for a description alone, or 'none'. */
export function severityFor(analyzer: Analyzer, description: string, spec: Omit<ToolSpec, 'description'> = {}): string {
  const order = ['critical', 'high', 'medium', 'low', 'info'];
  const found = run(analyzer, tool({ ...spec, description })).map((f) => f.severity);
  return found.sort((a, b) => order.indexOf(a) - order.indexOf(b))[0] ?? 'none';
}
