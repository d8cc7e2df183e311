// The ceiling: a bare Node HTTP server answering a fixed JSON body, run as its own process like
// the catalog, so both are measured under the same client and machine.
import { createServer } from 'node:http';

const body = JSON.stringify({ items: [{ name: 'io.example/ceiling', version: '1.0.0', description: 'A fixed answer' }], total: 1, nextCursor: null });
createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}).listen(Number(process.env['PORT'] ?? 18199), '127.0.0.1');
