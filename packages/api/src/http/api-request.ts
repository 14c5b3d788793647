/**
 * An HTTP request as the API sees it, independent of any server framework: a product mounting
 * the API in its own server fills one of these and sends back the {@link ApiResponse}.
 */
export interface ApiRequest {
  /** `GET` or `POST` (others are answered like GET: 4.1's servlet treats them alike). */
  readonly method: string;
  /** The request path without the query string, e.g. `/client/api`. */
  readonly path: string;
  /** The raw query string without the leading `?` (still percent-encoded). */
  readonly query: string;
  /** Request headers, names lower-case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw request body (a form-encoded POST body), or empty. */
  readonly body?: string;
  /** The peer's address, for logs. */
  readonly remoteAddress?: string;
}

/** An HTTP reply: status, headers and body, ready to write. */
export interface ApiResponse {
  /** HTTP status: 200, or the CloudStack error code. */
  readonly status: number;
  /** The reason phrase, when it should differ from the standard one (integration port errors). */
  readonly statusText?: string;
  /** Response headers. `set-cookie` may carry several values. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** The body, UTF-8 (ISO-8859-1 for the XML login reply, whose characters are ASCII). */
  readonly body: string;
}
