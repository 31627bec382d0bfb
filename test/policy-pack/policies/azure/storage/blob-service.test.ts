/**
 * Tests of policy-pack/policies/azure/storage/blob-service.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { blobServiceEnableVersioningSoftDelete } from "../../../../../policy-pack/policies/azure/storage/blob-service";
import { expectControl, expectStackPass, expectStackViolations } from "../../../expect";
import { account, blobService } from "../../../fixtures/azure";
import { unknown, urnOf } from "../../../harness";

describe("policy pack: Azure Storage", () => {
  describe("azure-storage-blob-service-enable-versioning-soft-delete (C9, stack)", () => {
    const p = blobServiceEnableVersioningSoftDelete;
    it("proves C9", () => expectControl(p, "C9"));
    it("passes an account with versioning and soft delete", () => expectStackPass(p, [account(), blobService()]));
    it("reports missing blob service properties, at the account", () =>
      expectStackViolations(p, [account()], [[urnOf(account()), ["has no blob service properties"]]]));
    it("reports versioning off and soft delete off, at the service", () => {
      const svc = blobService({ isVersioningEnabled: false, deleteRetentionPolicy: { enabled: false } });
      return expectStackViolations(
        p,
        [account(), svc],
        [[urnOf(svc), ["isVersioningEnabled is false", "deleteRetentionPolicy.enabled is false"]]],
      );
    });
    it("matches the service by dependency while the account name is unknown (preview)", () =>
      expectStackPass(p, [
        account(),
        { ...blobService({ accountName: unknown() }), propertyDependencies: { accountName: [urnOf(account())] } },
      ]));
  });
});
