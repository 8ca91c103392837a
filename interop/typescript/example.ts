// A typed GPUEater client in a few lines, built only from the types that openapi-typescript
// generates from openapi/gpueater.yaml (into ./generated, never edited by hand). It logs in,
// reads the launch catalog, launches an instance, finds it in the instance list and
// terminates it. `make spec-interop` compiles it with `tsc --strict --noEmit`: a change to
// the spec that breaks a client like this one fails there.
//
// Run it (after `make spec-interop`) with a TypeScript-aware runner and GPUEATER_URL,
// GPUEATER_EMAIL and GPUEATER_PASSWORD set, for example against the local emulator.

import { pathToFileURL } from "node:url";

import type { components, paths } from "./generated/gpueater.js";

type Schemas = components["schemas"];

// ---- types derived from the spec ------------------------------------------------------------

/** The paths that have an operation for this method. */
type PathWith<M extends "get" | "post"> = {
  [P in keyof paths]: paths[P][M] extends undefined ? never : P;
}[keyof paths];
type GetPath = PathWith<"get">;
type PostPath = PathWith<"post">;

type GetOperation<P extends GetPath> = NonNullable<paths[P]["get"]>;
type PostOperation<P extends PostPath> = NonNullable<paths[P]["post"]>;

/** Query parameters of a GET operation (an empty object when it takes none). */
type QueryOf<Op> = Op extends { parameters: { query: infer Q extends object } }
  ? Q
  : Record<string, never>;

/** The form body of a POST operation. */
type FormOf<Op> = Op extends {
  requestBody: { content: { "application/x-www-form-urlencoded": infer F extends object } };
}
  ? F
  : never;

/** The JSON envelope an operation answers with HTTP 200. */
type AnswerOf<Op> = Op extends {
  responses: { 200: { content: { "application/json": infer A } } };
}
  ? A
  : never;

type Envelope = { data: unknown; error: Schemas["Error"] };

// ---- the service's conventions --------------------------------------------------------------

/** The service answered HTTP 200 with a non-null `error` (a string or an ErrorObject). */
export class GPUEaterApiError extends Error {
  constructor(readonly detail: Exclude<Schemas["Error"], null>) {
    super(typeof detail === "string" ? detail : detail.message);
    this.name = "GPUEaterApiError";
  }
}

/** A 302 to the login page: the session is missing or expired; log in again and retry once. */
export class SessionExpiredError extends Error {
  override name = "SessionExpiredError";
}

/** The envelope's `data`, or the envelope's `error` thrown. */
function unwrap<E extends Envelope>(envelope: E): E["data"] {
  if (envelope.error !== null) {
    throw new GPUEaterApiError(envelope.error);
  }
  return envelope.data;
}

/** Like `unwrap`, for operations whose success always carries data. */
function unwrapData<E extends Envelope>(envelope: E): NonNullable<E["data"]> {
  const data = unwrap(envelope);
  if (data === null || data === undefined) {
    throw new Error("the service answered success without data");
  }
  return data;
}

function toSearchParams(fields: object): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null) {
      params.set(name, String(value));
    }
  }
  return params;
}

export class GPUEaterClient {
  #cookie: string | undefined;

  constructor(private readonly baseUrl: string) {}

  /** `POST /api_login`; keeps the session cookie for every later call. */
  async login(form: FormOf<PostOperation<"/api_login">>): Promise<void> {
    const response = await this.#send("/api_login", "POST", toSearchParams(form));
    const cookies = response.headers.getSetCookie().map((line) => line.split(";", 1)[0] ?? "");
    unwrap((await response.json()) as AnswerOf<PostOperation<"/api_login">>);
    this.#cookie = cookies.filter((pair) => pair.length > 0).join("; ");
  }

  async get<P extends GetPath>(
    path: P,
    query: QueryOf<GetOperation<P>>,
  ): Promise<AnswerOf<GetOperation<P>>> {
    const search = toSearchParams(query).toString();
    const response = await this.#send(search ? `${path}?${search}` : path, "GET");
    // The spec is the contract: a production client would validate the payload here.
    return (await response.json()) as AnswerOf<GetOperation<P>>;
  }

  async post<P extends PostPath>(
    path: P,
    form: FormOf<PostOperation<P>>,
  ): Promise<AnswerOf<PostOperation<P>>> {
    const response = await this.#send(path, "POST", toSearchParams(form));
    return (await response.json()) as AnswerOf<PostOperation<P>>;
  }

  async #send(path: string, method: "GET" | "POST", form?: URLSearchParams): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.#cookie) {
      headers["Cookie"] = this.#cookie;
    }
    const init: RequestInit = {
      method,
      headers,
      redirect: "manual", // a session timeout is a 302 to an HTML page: never follow it
      signal: AbortSignal.timeout(30_000),
    };
    if (form) {
      init.body = form; // fetch sends application/x-www-form-urlencoded
    }
    const response = await fetch(new URL(path, this.baseUrl), init);
    if (response.status === 302) {
      throw new SessionExpiredError(`${method} ${path}: session missing or expired`);
    }
    if (!response.ok) {
      throw new Error(`${method} ${path}: unexpected HTTP ${response.status}`);
    }
    return response;
  }
}

// ---- the walk-through -----------------------------------------------------------------------

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`set ${name}`);
  }
  return value;
}

export async function main(): Promise<void> {
  const api = new GPUEaterClient(process.env["GPUEATER_URL"] ?? "https://www.gpueater.com");
  await api.login({ email: required("GPUEATER_EMAIL"), password: required("GPUEATER_PASSWORD") });

  const catalog = unwrapData(await api.get("/console/servers/ondemand_launch_list", {}));
  const product = catalog.products.find(
    (candidate) => candidate.name === "a1.rx580" && (candidate.pool ?? []).length > 0,
  );
  const image = Object.values(catalog.images).find((img) => img.name === "Ubuntu16.04 x64");
  const sshKey = catalog.ssh_keys.find((key) => key.name === "my_ssh_key");
  if (!product || !image || !sshKey) {
    throw new Error("the catalog lacks a1.rx580 in stock, Ubuntu16.04 x64 or my_ssh_key");
  }

  // A unique tag is how a client finds its instance again: the launch answers no data.
  const tag = `interop-example-${Date.now()}`;
  unwrap(
    await api.post("/console/servers/launch_ondemand_instance", {
      product_id: product.id,
      image: image.alias,
      ssh_key_id: sshKey.id,
      tag,
    }),
  );

  const instances: Schemas["Instance"][] = unwrapData(
    await api.get("/console/servers/instance_list", {}),
  );
  const launched = instances.find((instance) => instance.tag === tag);
  if (!launched) {
    throw new Error(`no instance tagged ${tag} in instance_list`);
  }
  console.log(`launched ${launched.instance_id} (${launched.state}), ${product.price} USD/hour`);

  const terminated = unwrapData(
    await api.post("/console/servers/force_terminate", {
      instance_id: launched.instance_id,
      machine_resource_id: launched.machine_resource_id,
    }),
  );
  console.log(`terminated ${terminated.instance_id} (${terminated.state})`);
}

const entryPoint = process.argv[1];
if (entryPoint && import.meta.url === pathToFileURL(entryPoint).href) {
  await main();
}
