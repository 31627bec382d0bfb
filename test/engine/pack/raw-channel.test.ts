/**
 * engine/pack/launch.ts RawChannel: the check's per-resource gRPC calls
 * straight over HTTP/2, against a grpc-js server (the one the policy SDK
 * serves with): the response message's bytes, a status error with its code
 * and message, many calls in flight, and a server that is gone.
 */
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { RawChannel } from "../../../engine/pack/launch";

const identity = (b: Buffer) => b;

function method(path: string): grpc.MethodDefinition<Buffer, Buffer> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
}

/** The error a call rejects with; undefined if it resolves. */
function rejectionOf(call: Promise<unknown>): Promise<grpc.ServiceError | undefined> {
  return call.then(
    () => undefined,
    (e: grpc.ServiceError) => e,
  );
}

describe("engine: RawChannel (gRPC unary calls over HTTP/2)", function () {
  this.timeout(30_000);
  let server: grpc.Server;
  let port: number;

  before(async () => {
    server = new grpc.Server();
    server.addService(
      { Analyze: method("/pulumirpc.Analyzer/Analyze"), AnalyzeStack: method("/pulumirpc.Analyzer/AnalyzeStack") },
      {
        // Answers with the request's bytes reversed (an empty request gets an empty answer).
        Analyze: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) =>
          cb(null, Buffer.from(call.request).reverse()),
        AnalyzeStack: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) =>
          cb({ code: grpc.status.INTERNAL, details: "Error validating stack: 100% wrong é" }),
      },
    );
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
  });

  after(() => server.forceShutdown());

  it("returns the response message's bytes, for many calls in flight", async () => {
    const channel = new RawChannel(`127.0.0.1:${port}`);
    try {
      const requests = Array.from({ length: 200 }, (_, i) => Buffer.from(`request ${i} ${"x".repeat(i * 97)}`));
      const responses = await Promise.all(requests.map((r) => channel.unary("Analyze", r)));
      responses.forEach((res, i) => expect(res.equals(Buffer.from(requests[i]).reverse()), `call ${i}`).to.equal(true));
      expect((await channel.unary("Analyze", new Uint8Array(0))).length).to.equal(0);
      const big = Buffer.alloc(3 * 1024 * 1024, 7);
      expect((await channel.unary("Analyze", big)).equals(big)).to.equal(true);
    } finally {
      channel.close();
    }
  });

  it("rejects with the status code and message the server sent", async () => {
    const channel = new RawChannel(`127.0.0.1:${port}`);
    try {
      const err = await rejectionOf(channel.unary("AnalyzeStack", Buffer.from("x")));
      expect(err?.code).to.equal(grpc.status.INTERNAL);
      expect(err?.details).to.equal("Error validating stack: 100% wrong é");
      const missing = await rejectionOf(channel.unary("Remediate", Buffer.from("x")));
      expect(missing?.code).to.equal(grpc.status.UNIMPLEMENTED);
    } finally {
      channel.close();
    }
  });

  it("rejects when nothing listens", async () => {
    const gone = new grpc.Server();
    const p = await new Promise<number>((resolve, reject) =>
      gone.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, q) => (e ? reject(e) : resolve(q))),
    );
    gone.forceShutdown();
    const channel = new RawChannel(`127.0.0.1:${p}`);
    try {
      const err = await rejectionOf(channel.unary("Analyze", Buffer.from("x")));
      expect(err?.code).to.equal(grpc.status.UNAVAILABLE);
    } finally {
      channel.close();
    }
  });
});
