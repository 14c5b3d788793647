import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ApiRequest, ApiResponse } from './api-request.js';

/** Anything that answers an {@link ApiRequest}. */
export type ApiHandlerFunction = (request: ApiRequest) => Promise<ApiResponse>;

/** Options of {@link toNodeListener}. */
export interface NodeListenerOptions {
  /** Largest request body read, in bytes; a larger one gets 413. 1 MiB by default. */
  readonly maxBodyBytes?: number;
}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
  return headers;
}

/** Writes an {@link ApiResponse} to a node response. */
export function writeResponse(res: ServerResponse, response: ApiResponse): void {
  res.statusCode = response.status;
  if (response.statusText !== undefined) res.statusMessage = response.statusText;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, typeof value === 'string' ? value : [...value]);
  res.setHeader('content-length', Buffer.byteLength(response.body, 'utf8'));
  res.end(response.body);
}

/**
 * A `node:http` request listener around a handler, for mounting the API in a product's own
 * server (or an Express/Connect app): reads the body, builds the request, writes the reply.
 */
export function toNodeListener(handler: ApiHandlerFunction, options: NodeListenerOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  return (req, res) => {
    void (async () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const body = await readBody(req, limit);
      if (body === undefined) {
        writeResponse(res, { status: 413, headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: 'Request body too large' });
        return;
      }
      const request: ApiRequest = {
        method: req.method ?? 'GET',
        path: q === -1 ? url : url.slice(0, q),
        query: q === -1 ? '' : url.slice(q + 1),
        headers: headersOf(req),
        body,
        ...(req.socket.remoteAddress === undefined ? {} : { remoteAddress: req.socket.remoteAddress }),
      };
      writeResponse(res, await handler(request));
    })().catch((error: unknown) => {
      if (!res.headersSent) writeResponse(res, { status: 500, headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: String(error) });
      else res.destroy();
    });
  };
}

/** What {@link createApiServer} serves: the API endpoint handler. */
export interface ApiEndpoint {
  /** Answers one request. */
  handle(request: ApiRequest): Promise<ApiResponse>;
}

/** A `node:http` server answering the API endpoint; call `.listen(port)` on it. */
export function createApiServer(api: ApiEndpoint, options: NodeListenerOptions = {}): Server {
  return createServer(toNodeListener((request) => api.handle(request), options));
}
