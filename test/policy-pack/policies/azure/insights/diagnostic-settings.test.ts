/**
 * Tests of policy-pack/policies/azure/insights/diagnostic-settings.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import * as monitor from "@pulumi/azure-native/monitor";
import {
  blobServiceMissingDiagnosticSettings,
  vaultMissingDiagnosticSettings,
} from "../../../../../policy-pack/policies/azure/insights/diagnostic-settings";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../../expect";
import { account, ACCOUNT_ID, blobService, RG, vault, VAULT_ID } from "../../../fixtures/azure";
import { ResourceSpec, unknown, urnOf } from "../../../harness";

describe("policy pack: Azure monitoring", () => {
  const workspace = `${RG}/providers/Microsoft.OperationalInsights/workspaces/logs`;
  const diag = (name: string, resourceUri: unknown, props: Record<string, unknown> = {}): ResourceSpec => ({
    type: monitor.DiagnosticSetting,
    name,
    props: { resourceUri, workspaceId: workspace, logs: [{ categoryGroup: "allLogs", enabled: true }], ...props },
  });

  describe("azure-storage-blob-service-missing-diagnostic-settings (C8, stack)", () => {
    const p = blobServiceMissingDiagnosticSettings;
    it("proves C8", () => expectControl(p, "C8"));
    it("passes a blob service diagnostic setting to Log Analytics", () =>
      expectStackPass(p, [account(), blobService(), diag("blob-diag", `${ACCOUNT_ID}/blobServices/default`)]));
    it("reports a setting on the account instead of its blob service", () =>
      expectStackViolations(
        p,
        [account(), blobService(), diag("acct-diag", ACCOUNT_ID)],
        [[urnOf(account()), ["the blob service of storage account data has no diagnostic setting"]]],
      ));
    it("reports a setting without a workspace or enabled logs", () => {
      const d = diag("blob-diag", `${ACCOUNT_ID}/blobServices/default`, {
        workspaceId: undefined,
        logs: [{ categoryGroup: "allLogs", enabled: false }],
      });
      return expectStackViolations(
        p,
        [account(), blobService(), d],
        [[urnOf(d), ["no Log Analytics workspaceId and no enabled log category"]]],
      );
    });
    it("matches by dependency on the blob service while the URI is unknown (preview)", () =>
      expectStackPass(p, [
        account(),
        blobService(),
        { ...diag("blob-diag", unknown()), propertyDependencies: { resourceUri: [urnOf(blobService())] } },
      ]));
  });

  describe("azure-keyvault-vault-missing-diagnostic-settings (C8, stack)", () => {
    const p = vaultMissingDiagnosticSettings;
    it("proves C8", () => expectControl(p, "C8"));
    it("passes a vault diagnostic setting", () => expectStackPass(p, [vault(), diag("kv-diag", VAULT_ID)]));
    it("reports a vault without one", () =>
      expectStackViolations(
        p,
        [vault(), diag("blob-diag", `${ACCOUNT_ID}/blobServices/default`)],
        [[urnOf(vault()), ["Key Vault kv has no diagnostic setting"]]],
      ));
    it("is not applicable without vaults", async () => expect((await onStack(p, [account()])).notApplicable).to.equal(true));
  });
});
