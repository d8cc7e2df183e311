import type { SearchResult, ServerDocument, ToolDocument } from '../search/search-index';

/** The fields of a server search item that come from the document (key order as sent). */
export function serverItemFields(doc: ServerDocument) {
  return {
    name: doc.serverName,
    version: doc.version,
    title: doc.title,
    description: doc.description,
    isLatest: doc.isLatest,
    status: doc.status,
    approved: doc.approved,
    trustLevel: doc.trustLevel,
    score: doc.score,
    health: doc.health,
    tools: doc.toolNames,
    registryTypes: doc.registryTypes,
    transports: doc.transports,
  };
}

/** The fields of a tool search item that come from the document (key order as sent). */
export function toolItemFields(doc: ToolDocument) {
  return {
    tool: { name: doc.toolName, title: doc.title, description: doc.description, parameters: doc.parameterNames },
    server: { name: doc.serverName, version: doc.version, isLatest: doc.isLatest },
    approved: doc.approved,
    trustLevel: doc.trustLevel,
    health: doc.health,
  };
}

/**
 * Serialising a page of 20 server hits took ~100 µs of JSON.stringify, 19% of a search over HTTP
 * (profile at 10,000 servers). A document never changes (an update is a new object), so the JSON
 * of its fields is made once and kept beside it; per request only relevance and highlights are
 * serialised. The result is the JSON of searchServers / searchTools, key for key.
 */
const fieldsJson = new WeakMap<object, string>();

function fieldsOf<D extends object>(doc: D, fields: (doc: D) => object): string {
  let json = fieldsJson.get(doc);
  if (json === undefined) {
    json = JSON.stringify(fields(doc)).slice(1, -1);
    fieldsJson.set(doc, json);
  }
  return json;
}

function itemsJson<D extends object>(result: SearchResult<D>, fields: (doc: D) => object): string {
  return result.hits.map((hit) => `{${fieldsOf(hit.document, fields)},"relevance":${JSON.stringify(hit.score)},"highlights":${JSON.stringify(hit.highlights)}}`).join(',');
}

const tail = (result: SearchResult<object>) => `"total":${JSON.stringify(result.total)},"nextCursor":${JSON.stringify(result.nextCursor)}`;

export function serverResultJson(result: SearchResult<ServerDocument>): string {
  return `{"items":[${itemsJson(result, serverItemFields)}],"facets":${JSON.stringify(result.facets)},${tail(result)}}`;
}

export function toolResultJson(result: SearchResult<ToolDocument>): string {
  return `{"items":[${itemsJson(result, toolItemFields)}],${tail(result)}}`;
}
