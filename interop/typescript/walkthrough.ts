// The second language RUNS: a TypeScript program on openapi-fetch (a real, pinned fetch-based
// client) typed only by what openapi-typescript generates from openapi/gpueater.yaml. Against
// a real emulator process (interop/run_walkthrough.sh starts and stops one) it logs in, reads
// the catalog, registers a key, launches, waits for RUNNING, lists and terminates.
//
// What a browser-less client has to do by hand, because fetch keeps no cookie jar:
// - read the session from the login's Set-Cookie and send it back as Cookie;
// - never follow a redirect: a session timeout is a 302 to an HTML login page;
// - send writes as application/x-www-form-urlencoded, not JSON (the spec's request bodies).
//
// `make spec-interop` compiles it with tsc (tsconfig.run.json emits into ./build) and runs it
// with node. Exit status 0 and a last line "walkthrough: ok" mean every step passed.

import createClient from "openapi-fetch";

import type { components, paths } from "./generated/gpueater.js";

type Schemas = components["schemas"];
type Envelope = { data?: unknown; error: Schemas["Error"] };

const WAIT_DEADLINE_MS = 60_000;
const POLL_INTERVAL_MS = 200;

/** The envelope's data, or a thrown error naming the step and the service's message. */
function unwrap<E extends Envelope>(step: string, envelope: E | undefined): E["data"] {
  if (envelope === undefined) {
    throw new Error(`${step}: no JSON envelope in the answer`);
  }
  if (envelope.error !== null) {
    const detail = envelope.error;
    throw new Error(`${step}: ${typeof detail === "string" ? detail : detail.message}`);
  }
  return envelope.data;
}

function present<T>(step: string, value: T | null | undefined): T {
  if (value === null || value === undefined) {
    throw new Error(`${step}: the answer has no data`);
  }
  return value;
}

/** Form bodies as the service takes them; null and undefined fields are left out. */
function formBody(body: unknown): URLSearchParams {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (value !== null && value !== undefined) {
      form.set(name, String(value));
    }
  }
  return form;
}

/** The session, kept by hand: Set-Cookie of the login in, Cookie on every later call out. */
class SessionCookie {
  #cookie = "";

  onRequest({ request }: { request: Request }): Request {
    if (this.#cookie) {
      request.headers.set("Cookie", this.#cookie);
    }
    if (request.method === "POST") {
      request.headers.set("Content-Type", "application/x-www-form-urlencoded");
    }
    return request;
  }

  onResponse({ request, response }: { request: Request; response: Response }): Response {
    if (response.status === 302) {
      throw new Error(`${request.method} ${new URL(request.url).pathname}: session expired`);
    }
    const pairs = response.headers.getSetCookie().map((line) => line.split(";", 1)[0] ?? "");
    if (pairs.some((pair) => pair.length > 0)) {
      this.#cookie = pairs.filter((pair) => pair.length > 0).join("; ");
    }
    return response;
  }

  get present(): boolean {
    return this.#cookie.length > 0;
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`set ${name}`);
  }
  return value;
}

async function main(): Promise<void> {
  const session = new SessionCookie();
  const api = createClient<paths>({
    baseUrl: required("GPUEATER_URL"),
    redirect: "manual",
    bodySerializer: formBody,
  });
  api.use(session);

  const login = await api.POST("/api_login", {
    body: { email: required("GPUEATER_EMAIL"), password: required("GPUEATER_PASSWORD") },
  });
  unwrap("login", login.data);
  if (!session.present) {
    throw new Error("login: the answer set no session cookie");
  }
  console.log("logged in");

  const catalog = present(
    "catalog",
    unwrap("catalog", (await api.GET("/console/servers/ondemand_launch_list")).data),
  );
  const product = catalog.products.find(
    (candidate) => candidate.name === "n1.p400" && (candidate.pool ?? []).length > 0,
  );
  const image = Object.values(catalog.images).find((img) => img.name === "Ubuntu16.04 x64");
  if (!product || !image) {
    throw new Error("catalog: no n1.p400 in stock or no Ubuntu16.04 x64 image");
  }
  console.log(`catalog: ${catalog.products.length} products; ${product.name} at ${product.price} USD/hour`);

  const pair = present(
    "generate key",
    unwrap("generate key", (await api.GET("/console/servers/ssh_key_gen")).data),
  );
  const keyName = `interop-${Date.now()}`;
  const registered = present(
    "register key",
    unwrap(
      "register key",
      (
        await api.POST("/console/servers/register_ssh_key", {
          body: { name: keyName, public_key: pair.public_key },
        })
      ).data,
    ),
  );
  console.log(`registered key ${registered.name} (${registered.id})`);

  const tag = `interop-walkthrough-${Date.now()}`;
  unwrap(
    "launch",
    (
      await api.POST("/console/servers/launch_ondemand_instance", {
        body: { product_id: product.id, image: image.alias, ssh_key_id: registered.id, tag },
      })
    ).data,
  );

  // The launch answers no data: the tag is how a client finds its instance again.
  const deadline = Date.now() + WAIT_DEADLINE_MS;
  let instance: Schemas["Instance"] | undefined;
  const statesSeen = new Set<string>();
  for (;;) {
    const listed = present(
      "instance list",
      unwrap("instance list", (await api.GET("/console/servers/instance_list")).data),
    );
    instance = listed.find((candidate) => candidate.tag === tag);
    if (instance) {
      statesSeen.add(instance.state);
    }
    if (instance?.state === "RUNNING") {
      break;
    }
    if (Date.now() > deadline) {
      throw new Error(`wait: ${tag} not RUNNING within ${WAIT_DEADLINE_MS} ms (${[...statesSeen]})`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  console.log(`launched ${instance.instance_id}: ${[...statesSeen].join(" -> ")}`);

  const listed = present(
    "instance list",
    unwrap("instance list", (await api.GET("/console/servers/instance_list")).data),
  );
  for (const each of listed) {
    console.log(`  ${each.instance_id}  ${each.tag}  ${each.state}  ${each.product_name}`);
  }

  unwrap(
    "terminate",
    (
      await api.POST("/console/servers/force_terminate", {
        body: { instance_id: instance.instance_id, machine_resource_id: instance.machine_resource_id },
      })
    ).data,
  );
  const after = present(
    "instance list",
    unwrap("instance list", (await api.GET("/console/servers/instance_list")).data),
  );
  const left = after.find((candidate) => candidate.instance_id === instance.instance_id);
  if (left && left.state !== "TERMINATED" && left.state !== "TERMINATING") {
    throw new Error(`terminate: ${instance.instance_id} is still ${left.state}`);
  }
  console.log(`terminated ${instance.instance_id}`);
  console.log("walkthrough: ok");
}

main().catch((failure: unknown) => {
  console.error(`error: ${failure instanceof Error ? failure.message : String(failure)}`);
  process.exit(1);
});
