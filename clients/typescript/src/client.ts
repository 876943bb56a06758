// The typed client of the gateway: every path, parameter, body and answer of
// openapi/openapi.json, checked by tsc. Errors are the one ErrorEnvelope of the contract.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type Schemas = components["schemas"];
export type ErrorEnvelope = Schemas["ErrorEnvelope"];
export type ApiClient = ReturnType<typeof createClient<paths>>;

/** A client for one gateway address; `token` is the caller's bearer JWT (none: public). */
export function createApiClient(baseUrl: string, token?: string): ApiClient {
  const client = createClient<paths>({ baseUrl });
  if (token) {
    const auth: Middleware = {
      onRequest({ request }) {
        request.headers.set("Authorization", `Bearer ${token}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}

/** Thrown for any error answer: the status and the contract's bilingual error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorEnvelope | undefined,
  ) {
    super(`${status} ${body?.error.code ?? ""}: ${body?.error.message_en ?? "no error body"}`);
  }
}

/** The data of a successful answer, or an ApiError. */
export function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new ApiError(result.response.status, result.error as ErrorEnvelope | undefined);
  }
  return result.data;
}
