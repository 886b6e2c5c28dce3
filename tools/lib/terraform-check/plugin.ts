/**
 * A schema-only Terraform provider: serves one provider's schema over the plugin protocol (v6)
 * so `terraform validate` and `terraform plan` run Terraform core's own checks on our JSON, and
 * answers plan-time calls without any API: configuration is accepted, resources plan with
 * computed attributes unknown, imports find an object with only its id, data sources read as
 * their configuration with placeholders. ApplyResourceChange is not served (UNIMPLEMENTED): nothing is ever applied.
 *
 * Started by Terraform itself (dev_overrides in the CLI config the check writes) through the
 * wrapper script `terraform-provider-<name>`:
 *   node plugin.cjs --schema <provider schema JSON> --cert <PEM> --key <PEM> --proto <dir>
 * go-plugin handshake: Terraform sets TF_PLUGIN_MAGIC_COOKIE and PLUGIN_CLIENT_CERT (automatic
 * mutual TLS); the plugin prints `1|6|unix|<socket>|grpc|<server cert, base64 DER>` on stdout.
 * @see https://github.com/hashicorp/go-plugin/blob/main/docs/internals.md (handshake)
 * @see https://github.com/hashicorp/go-plugin/blob/main/server.go (automatic mTLS, RawStdEncoding of the cert)
 *
 * Or, the check's default (`--reattach`), started once per provider by the check itself and
 * shared by every Terraform run through TF_REATTACH_PROVIDERS (Terraform's documented way to use
 * a provider it did not start): no TLS (Terraform's unmanagedProviderFactory sets none), the same handshake
 * line without a certificate, and it lives until the check closes its stdin. Every call is
 * stateless here, so concurrent Terraform runs can share it. A provider start costs ~0.37 s of
 * CPU (grpc, the proto files, the schema): 53 starts were ~20 s of the check's 32 s (issue 15).
 * @see https://developer.hashicorp.com/terraform/plugin/debugging#running-terraform-with-a-provider-in-debug-mode
 */
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { attributeType, type Attribute, type Block, type Nesting, type ProviderSchema } from "./schema";
import { decodeValue, encodeValue, importedState, planBlock, readBlock } from "./values";

/** Terraform's plugin magic cookie: a binary started any other way explains itself and exits. */
const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
const MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

const NESTING: Record<Nesting, number> = { SINGLE: 1, LIST: 2, SET: 3, MAP: 4 };

function protoAttribute(a: Attribute): object {
  return {
    name: a.name,
    type: a.nested ? Buffer.alloc(0) : Buffer.from(JSON.stringify(attributeType(a))),
    nested_type: a.nested ? { attributes: a.nested.attributes.map(protoAttribute), nesting: NESTING[a.nested.nesting] } : undefined,
    required: a.required,
    optional: a.optional,
    computed: a.computed,
  };
}

function protoBlock(b: Block): object {
  return {
    attributes: b.attributes.map(protoAttribute),
    block_types: b.blocks.map((n) => ({ type_name: n.name, block: protoBlock(n.block), nesting: NESTING[n.nesting], min_items: n.minItems, max_items: n.maxItems })),
  };
}

function protoSchema(b: Block): object {
  return { version: 0, block: protoBlock(b) };
}

type Unary = (call: { request: Record<string, unknown> }, callback: grpc.sendUnaryData<object>) => void;

function unary(f: (request: Record<string, unknown>) => object): Unary {
  return (call, callback) => {
    try {
      callback(null, f(call.request));
    } catch (e) {
      callback({ code: grpc.status.INTERNAL, details: (e as Error).stack ?? String(e) });
    }
  };
}

function main(): void {
  const { values } = parseArgs({ options: { schema: { type: "string" }, cert: { type: "string" }, key: { type: "string" }, proto: { type: "string" }, reattach: { type: "boolean" } } });
  const reattach = values.reattach === true;
  if (!reattach && process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write("This is a schema-only Terraform provider started by `npm run terraform-check`; Terraform starts it, not a person.\n");
    process.exit(1);
  }
  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  if (!values.schema || !values.proto || (!reattach && (!values.cert || !values.key || !clientCert))) {
    process.stderr.write("plugin: --schema and --proto, and (unless --reattach) --cert, --key and PLUGIN_CLIENT_CERT are required\n");
    process.exit(1);
  }
  const schema = JSON.parse(readFileSync(values.schema, "utf8")) as ProviderSchema;

  const loaded = protoLoader.loadSync([join(values.proto, "tfplugin6.proto"), join(values.proto, "go-plugin.proto")], {
    keepCase: true,
    longs: Number,
    enums: Number,
    defaults: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(loaded) as unknown as {
    tfplugin6: { Provider: { service: grpc.ServiceDefinition } };
    plugin: { GRPCController: { service: grpc.ServiceDefinition }; GRPCBroker: { service: grpc.ServiceDefinition } };
  };

  const resourceBlock = (type: string): Block => {
    const b = schema.resources[type];
    if (!b) throw new Error(`no schema for resource type ${type}`);
    return b;
  };
  const dataBlock = (type: string): Block => {
    const b = schema.dataSources[type];
    if (!b) throw new Error(`no schema for data source ${type}`);
    return b;
  };
  const bytesOf = (dv: unknown): Uint8Array => ((dv as { msgpack?: Uint8Array } | null)?.msgpack ?? new Uint8Array());

  let schemaResponse: object | undefined;
  const server = new grpc.Server();
  server.addService(pkg.tfplugin6.Provider.service, {
    // Built once: a reattached provider answers every Terraform run of the check.
    GetProviderSchema: unary(
      () =>
        (schemaResponse ??= {
          provider: protoSchema(schema.provider),
          resource_schemas: Object.fromEntries(Object.entries(schema.resources).map(([k, b]) => [k, protoSchema(b)])),
          data_source_schemas: Object.fromEntries(Object.entries(schema.dataSources).map(([k, b]) => [k, protoSchema(b)])),
          diagnostics: [],
          // The schema never changes within a run: Terraform may reuse the copy it already has
          // instead of asking each new provider instance again.
          server_capabilities: { plan_destroy: false, get_provider_schema_optional: true },
        }),
    ),
    ValidateProviderConfig: unary(() => ({ diagnostics: [] })),
    ValidateResourceConfig: unary(() => ({ diagnostics: [] })),
    ValidateDataResourceConfig: unary(() => ({ diagnostics: [] })),
    // Nothing to connect to: configuration is never used.
    ConfigureProvider: unary(() => ({ diagnostics: [] })),
    // A create (no prior state) or, after an import block's import, an update: Terraform's
    // proposed state already carries the prior computed values; what is still null is unknown.
    PlanResourceChange: unary((req) => {
      const block = resourceBlock(req.type_name as string);
      const proposed = decodeValue(bytesOf(req.proposed_new_state));
      return { planned_state: { msgpack: encodeValue(planBlock(block, proposed)) }, requires_replace: [], diagnostics: [] };
    }),
    // `import` blocks: the object exists with the given id and nothing else known.
    ImportResourceState: unary((req) => {
      const type = req.type_name as string;
      const state = importedState(resourceBlock(type), req.id as string);
      return { imported_resources: [{ type_name: type, state: { msgpack: encodeValue(state) } }], diagnostics: [] };
    }),
    ReadResource: unary((req) => ({ new_state: req.current_state, diagnostics: [] })),
    ReadDataSource: unary((req) => {
      const block = dataBlock(req.type_name as string);
      const config = decodeValue(bytesOf(req.config));
      return { state: { msgpack: encodeValue(readBlock(block, config)) }, diagnostics: [] };
    }),
    StopProvider: unary(() => ({ Error: "" })),
  });
  server.addService(pkg.plugin.GRPCController.service, {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      // Reattached, other Terraform runs may still be using it: the check ends it (stdin).
      if (!reattach) setImmediate(() => shutdown(0));
    },
  });
  server.addService(pkg.plugin.GRPCBroker.service, {
    // No sub-plugins to broker: keep the stream open until Terraform closes it.
    StartStream: (call: grpc.ServerDuplexStream<object, object>) => {
      call.on("data", () => undefined);
      call.on("end", () => call.end());
    },
  });

  const socketDir = mkdtempSync(join(tmpdir(), "tfcheck-plugin-"));
  const socket = join(socketDir, "plugin.sock");
  const shutdown = (code: number): void => {
    rmSync(socketDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on("SIGTERM", () => shutdown(0));
  process.on("SIGINT", () => shutdown(0));

  if (reattach) {
    // The check holds our stdin open for as long as it needs us; also when it dies without a word.
    process.stdin.on("end", () => shutdown(0));
    process.stdin.on("error", () => shutdown(0));
    process.stdout.on("error", () => shutdown(0));
    process.stdin.resume();
  }
  const credentials = reattach
    ? grpc.ServerCredentials.createInsecure()
    : grpc.ServerCredentials.createSsl(Buffer.from(clientCert!), [{ cert_chain: readFileSync(values.cert!), private_key: readFileSync(values.key!) }], true);
  server.bindAsync(`unix:${socket}`, credentials, (err) => {
    if (err) {
      process.stderr.write(`plugin: cannot listen on ${socket}: ${err.message}\n`);
      shutdown(1);
      return;
    }
    // go-plugin reads the server certificate as unpadded standard base64 of its DER bytes.
    const der = reattach ? "" : new X509Certificate(readFileSync(values.cert!)).raw.toString("base64").replace(/=+$/, "");
    process.stdout.write(`1|6|unix|${socket}|grpc|${der}\n`);
  });
}

main();
