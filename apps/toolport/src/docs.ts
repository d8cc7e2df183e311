import type { OpenAPIObject } from '@nestjs/swagger';

/** One OpenAPI document for the all-in-one process: the five services' paths side by side. */
export function mergeOpenApi(documents: readonly OpenAPIObject[]): OpenAPIObject {
  const [first] = documents;
  if (!first) throw new Error('no OpenAPI documents to merge');
  return {
    ...first,
    info: { ...first.info, title: 'Toolport', description: 'Self-hosted registry for MCP servers: all services.' },
    paths: Object.assign({}, ...documents.map((d) => d.paths)),
    components: {
      ...first.components,
      schemas: Object.assign({}, ...documents.map((d) => d.components?.schemas ?? {})),
    },
  };
}

/**
 * Swagger UI from the `swagger-ui-dist` assets that the publisher app already serves under
 * `/docs` (every service app mounts them), pointed at the merged document.
 */
export function renderDocsPage(specUrl: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Toolport API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: '#swagger-ui' });</script>
</body></html>`;
}
