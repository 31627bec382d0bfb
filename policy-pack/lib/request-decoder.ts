/**
 * Decodes the `Analyze` and `AnalyzeStack` requests of the Analyzer service
 * for the policy runtime (@pulumi/policy 1.21 server.js) without building
 * google-protobuf's Struct/Value/ListValue messages for the properties: at
 * 10,000 resources, the generated deserializer (`deserialize_pulumirpc_*` in
 * @pulumi/pulumi/proto/analyzer_grpc_pb.js), the runtime's later
 * `getProperties().toJavaScript()` over those messages and collecting them
 * cost each pack process over a second.
 *
 * Each request is the generated message (same class, same getters) decoded by
 * the generated code from its bytes without the `properties` fields (and the
 * provider's), which are attached as `LazyStruct`s: `toJavaScript()` decodes
 * the bytes straight to what google-protobuf's would return
 * (struct-decoder.ts), or lets google-protobuf decode them when they are not
 * the well-formed shape. So every getter answers as the generated message
 * would; the only difference is when bytes google-protobuf refuses inside a
 * Struct surface: at `toJavaScript()` (an error of the handler) rather than
 * when the request is decoded. Requests whose top-level fields are not
 * well formed go to the generated deserializer whole. The messages are
 * read-only views: nothing in the runtime writes or re-serializes a request.
 *
 * type-dispatch.ts passes grpc-js a copy of the service definition with these
 * deserializers (test/policy-pack/request-decoder.test.ts and
 * type-dispatch.test.ts compare them with the generated ones).
 */
import * as path from "path";
import type * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { decodeStruct, NOT_DECODABLE, Reader } from "./struct-decoder";

type AnalyzerPb = typeof analyzerpb;
type StructClass = typeof Struct;

/** Field numbers: `properties` of AnalyzeRequest, AnalyzerResource and AnalyzerProviderResource; `provider`; `resources`. */
const PROPERTIES = 2;
const PROVIDER = 6;
const RESOURCES = 1;

/** A Struct's bytes, decoded when (and each time, as google-protobuf would) they are asked for. */
export class LazyStruct {
  private full?: Struct;

  constructor(
    private readonly S: StructClass,
    private readonly b: Buffer,
    private readonly start: number,
    private readonly end: number,
  ) {}

  toJavaScript(): Record<string, unknown> {
    try {
      return decodeStruct(this.b, this.start, this.end);
    } catch {
      // Not the shape the fast decoder takes (or deeper than its stack): google-protobuf answers, or throws.
      return this.generated().toJavaScript() as Record<string, unknown>;
    }
  }

  /** The generated message of the same bytes, for any other use. */
  generated(): Struct {
    return (this.full ??= this.S.deserializeBinary(new Uint8Array(this.b.subarray(this.start, this.end))));
  }

  getFieldsMap(): ReturnType<Struct["getFieldsMap"]> {
    return this.generated().getFieldsMap();
  }

  serializeBinary(): Uint8Array {
    return this.generated().serializeBinary();
  }

  toObject(): ReturnType<Struct["toObject"]> {
    return this.generated().toObject();
  }
}

/**
 * Scans the top-level fields of the message in `b[start, end)`: hands the
 * content range of each occurrence of a length-delimited field in `taken` to
 * `take`, and returns the bytes of all the other fields, in order, for the
 * generated class; undefined if the fields are not well formed (or a taken
 * field is not length-delimited).
 */
function scan(
  b: Buffer,
  start: number,
  end: number,
  taken: readonly number[],
  take: (field: number, s: number, e: number) => void,
): Uint8Array | undefined {
  const c = new Reader(b, start);
  const kept: number[] = [];
  try {
    while (c.p < end) {
      const fieldStart = c.p;
      const tag = c.uint(end);
      const field = tag >>> 3;
      if (field === 0) return undefined;
      let contentStart = c.p;
      switch (tag & 7) {
        case 0:
          c.skipVarint(end);
          break;
        case 1:
          c.p += 8;
          break;
        case 2: {
          const len = c.uint(end);
          contentStart = c.p;
          c.p += len;
          break;
        }
        case 5:
          c.p += 4;
          break;
        default:
          return undefined;
      }
      if (c.p > end) return undefined;
      if (taken.includes(field)) {
        if ((tag & 7) !== 2) return undefined;
        take(field, contentStart, c.p);
      } else if (kept.length > 0 && kept[kept.length - 1] === fieldStart) kept[kept.length - 1] = c.p;
      else kept.push(fieldStart, c.p);
    }
  } catch (e) {
    // A varint that does not fit (the Reader throws): not well formed.
    if (e === NOT_DECODABLE) return undefined;
    throw e;
  }
  if (kept.length === 2) return new Uint8Array(b.buffer, b.byteOffset + kept[0], kept[1] - kept[0]);
  let size = 0;
  for (let i = 0; i < kept.length; i += 2) size += kept[i + 1] - kept[i];
  const rest = new Uint8Array(size);
  for (let i = 0, at = 0; i < kept.length; at += kept[i + 1] - kept[i], i += 2) rest.set(b.subarray(kept[i], kept[i + 1]), at);
  return rest;
}

/** Providers decoded so far, by their bytes (a stack has few; a bound keeps a pathological one small). */
const PROVIDER_CACHE_LIMIT = 256;

/** The request decoders over one copy of the generated classes (the runtime's). */
export class RequestDecoder {
  /**
   * Every resource of a provider carries the same provider bytes: decoded once, and the same read-only
   * message (and so, through deserialize-once.ts, the same properties) serves every request that names it.
   */
  private readonly providers = new Map<string, analyzerpb.AnalyzerProviderResource>();

  constructor(
    private readonly pb: AnalyzerPb,
    private readonly S: StructClass,
  ) {}

  private sharedProvider(b: Buffer, start: number, end: number): analyzerpb.AnalyzerProviderResource | undefined {
    const key = b.toString("latin1", start, end);
    let msg = this.providers.get(key);
    if (!msg) {
      // Decoded from a copy of its bytes, so the cached message does not hold the whole request.
      msg = this.provider(Buffer.from(key, "latin1"), 0, end - start);
      if (!msg) return undefined;
      if (this.providers.size >= PROVIDER_CACHE_LIMIT) this.providers.clear();
      this.providers.set(key, msg);
    }
    return msg;
  }

  private lazy(b: Buffer, range: readonly [number, number]): Struct {
    return new LazyStruct(this.S, b, range[0], range[1]) as unknown as Struct;
  }

  private provider(b: Buffer, start: number, end: number): analyzerpb.AnalyzerProviderResource | undefined {
    let props: [number, number] | undefined;
    const rest = scan(b, start, end, [PROPERTIES], (_f, s, e) => (props = [s, e]));
    if (!rest) return undefined;
    const msg = this.pb.AnalyzerProviderResource.deserializeBinary(rest);
    if (props) {
      // google-protobuf keeps the last occurrence of a message field (a new message each time), as `scan` does.
      const lazy = this.lazy(b, props);
      msg.getProperties = () => lazy;
      msg.hasProperties = () => true;
    }
    return msg;
  }

  /** A message with `properties` (2) and `provider` (6): AnalyzeRequest or AnalyzerResource. */
  private resource<M extends analyzerpb.AnalyzeRequest | analyzerpb.AnalyzerResource>(
    decode: (rest: Uint8Array) => M,
    b: Buffer,
    start: number,
    end: number,
  ): M | undefined {
    let props: [number, number] | undefined;
    let prov: [number, number] | undefined;
    const rest = scan(b, start, end, [PROPERTIES, PROVIDER], (f, s, e) => (f === PROPERTIES ? (props = [s, e]) : (prov = [s, e])));
    if (!rest) return undefined;
    const provider = prov && this.sharedProvider(b, prov[0], prov[1]);
    if (prov && !provider) return undefined;
    const msg = decode(rest);
    if (props) {
      const lazy = this.lazy(b, props);
      msg.getProperties = () => lazy;
      msg.hasProperties = () => true;
    }
    if (provider) {
      msg.getProvider = () => provider;
      msg.hasProvider = () => true;
    }
    return msg;
  }

  /** An `AnalyzeRequest`; undefined if its top-level fields are not well formed. */
  analyzeRequest(b: Buffer): analyzerpb.AnalyzeRequest | undefined {
    return this.resource((rest) => this.pb.AnalyzeRequest.deserializeBinary(rest), b, 0, b.length);
  }

  /** An `AnalyzeStackRequest`; undefined if its or a resource's top-level fields are not well formed. */
  analyzeStackRequest(b: Buffer): analyzerpb.AnalyzeStackRequest | undefined {
    const resources: analyzerpb.AnalyzerResource[] = [];
    let bad = false;
    const decode = (rest: Uint8Array) => this.pb.AnalyzerResource.deserializeBinary(rest);
    const rest = scan(b, 0, b.length, [RESOURCES], (_f, s, e) => {
      const r = bad ? undefined : this.resource(decode, b, s, e);
      if (r) resources.push(r);
      else bad = true;
    });
    if (!rest || bad) return undefined;
    const msg = this.pb.AnalyzeStackRequest.deserializeBinary(rest);
    msg.getResourcesList = () => resources;
    return msg;
  }
}

interface Method {
  requestType?: unknown;
  requestDeserialize(b: Buffer): unknown;
}

function isMethod(m: unknown): m is Method {
  return typeof m === "object" && m !== null && typeof (m as Method).requestDeserialize === "function";
}

/** `method` with `decode` as its request deserializer, the generated one for what `decode` does not take. */
function withDeserializer(method: Method, decode: (b: Buffer) => unknown): Method {
  const generated = method.requestDeserialize;
  return {
    ...method,
    requestDeserialize: (b: Buffer) => {
      let msg: unknown;
      try {
        msg = Buffer.isBuffer(b) ? decode(b) : undefined;
      } catch {
        msg = undefined;
      }
      return msg ?? generated(b);
    },
  };
}

/**
 * A shallow copy of the Analyzer service definition whose `analyze` and
 * `analyzeStack` decode their requests here (each when its entry is the
 * expected shape); the definition itself when neither is. `analyzerPbPath` is the
 * generated module the runtime uses; google-protobuf's Struct comes from
 * beside it (the copy that module uses).
 */
export function withRequestDecoder(service: unknown, analyzerPbPath: string): unknown {
  let pb: AnalyzerPb;
  let S: StructClass;
  try {
    pb = require(analyzerPbPath) as AnalyzerPb;
    const structPath = require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [path.dirname(analyzerPbPath)] });
    S = (require(structPath) as { Struct: StructClass }).Struct;
  } catch {
    return service;
  }
  if (typeof service !== "object" || service === null || typeof S?.deserializeBinary !== "function") return service;
  const { analyze, analyzeStack } = service as { analyze?: unknown; analyzeStack?: unknown };
  const decoder = new RequestDecoder(pb, S);
  const copy: Record<string, unknown> = { ...service };
  let changed = false;
  if (isMethod(analyze) && analyze.requestType === pb.AnalyzeRequest) {
    copy.analyze = withDeserializer(analyze, (b) => decoder.analyzeRequest(b));
    changed = true;
  }
  if (isMethod(analyzeStack) && analyzeStack.requestType === pb.AnalyzeStackRequest) {
    copy.analyzeStack = withDeserializer(analyzeStack, (b) => decoder.analyzeStackRequest(b));
    changed = true;
  }
  return changed ? copy : service;
}
