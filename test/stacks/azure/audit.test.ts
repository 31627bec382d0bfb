/**
 * Audit (C8): Log Analytics with the configured retention; diagnostic
 * settings on the blob service (every read, write, delete) and the vault
 * (audit events) sending to it.
 */
import { expect } from "chai";
import { runStack } from "../../harness";
import { T, one, all, expectInput, byId } from "./helpers";

for (const [stack, overrides, retention] of [
  ["azure-dev", {}, 30],
  ["azure-prod", {}, 365],
  ["azure-dev", { logRetentionDays: "90" }, 90],
] as const) {
  const label = `${stack}${Object.keys(overrides).length ? ` ${JSON.stringify(overrides)}` : ""}`;
  describe(`azure audit (${label})`, () => {
    it(`C8: the Log Analytics workspace keeps logs ${retention} days`, async () => {
      const rec = await runStack(stack, overrides);
      const logs = one(rec, T.logWorkspace);
      expectInput(logs, "retentionInDays", retention);
      expectInput(logs, "sku.name", "PerGB2018");
    });

    it("C8: blob service and vault each send their audit logs to that workspace", async () => {
      const rec = await runStack(stack, overrides);
      const logs = one(rec, T.logWorkspace);
      const settings = all(rec, T.diagnostic);
      const targets = settings.map((s) => byId(rec, s.inputs.resourceUri, s.urn));
      expect(targets.map((t) => t.type).sort(), `${rec.stack}: diagnostic setting targets`).to.deep.equal([T.blobService, T.vault].sort());
      for (const s of settings) {
        expect(s.inputs.workspaceId, `${s.urn}: workspaceId`).to.equal(logs.outputs.id);
        for (const l of s.inputs.logs ?? []) expect(l.enabled, `${s.urn}: log ${l.category ?? l.categoryGroup} enabled`).to.equal(true);
      }
      const blob = settings[targets.findIndex((t) => t.type === T.blobService)];
      const blobCategories = (blob.inputs.logs as any[]).map((l) => l.category ?? `group:${l.categoryGroup}`);
      const coversAll =
        blobCategories.includes("group:allLogs") ||
        ["StorageRead", "StorageWrite", "StorageDelete"].every((c) => blobCategories.includes(c));
      expect(coversAll, `${blob.urn}: logs every read, write and delete (got ${blobCategories.join(", ")})`).to.equal(true);
      const vault = settings[targets.findIndex((t) => t.type === T.vault)];
      const vaultCategories = (vault.inputs.logs as any[]).map((l) => l.category ?? `group:${l.categoryGroup}`);
      const audits = ["group:audit", "group:allLogs", "AuditEvent"].some((c) => vaultCategories.includes(c));
      expect(audits, `${vault.urn}: logs vault audit events (got ${vaultCategories.join(", ")})`).to.equal(true);
    });

    it("C8: the blob setting targets this account's blob service", async () => {
      const rec = await runStack(stack, overrides);
      const account = one(rec, T.account);
      const svc = one(rec, T.blobService);
      expect(svc.outputs.id, `${svc.urn}: id`).to.equal(`${account.outputs.id}/blobServices/default`);
    });
  });
}
