/**
 * Tests of policy-pack/policies/azure/network/private-endpoints.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import * as network from "@pulumi/azure-native/network";
import {
  keyVaultMissingPrivateEndpoint,
  storageAccountMissingPrivateEndpoint,
} from "../../../../../policy-pack/policies/azure/network/private-endpoints";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../../expect";
import { account, ACCOUNT_ID, TAGS, vault, VAULT_ID } from "../../../fixtures/azure";
import { ResourceSpec, unknown, urnOf } from "../../../harness";

describe("policy pack: Azure network", () => {
  describe("azure-network-storage-account-missing-private-endpoint (C4, stack)", () => {
    const p = storageAccountMissingPrivateEndpoint;
    const pe = (groupIds: string[], id: unknown = ACCOUNT_ID): ResourceSpec => ({
      type: network.PrivateEndpoint,
      name: "blob-pe",
      props: { subnet: { id: "subnet" }, privateLinkServiceConnections: [{ name: "blob", privateLinkServiceId: id, groupIds }] },
    });
    it("proves C4", () => expectControl(p, "C4"));
    it("passes an account with a blob private endpoint", () => expectStackPass(p, [account(), pe(["blob"])]));
    it("reports an account without one, or with only a file endpoint", async () => {
      await expectStackViolations(p, [account()], [[urnOf(account()), ["has no private endpoint for its blob service"]]]);
      await expectStackViolations(p, [account(), pe(["file"])], [[urnOf(account()), ["has no private endpoint"]]]);
    });
    it("matches by dependency while the account id is unknown (preview)", () =>
      expectStackPass(p, [
        account(),
        { ...pe(["blob"], unknown()), propertyDependencies: { privateLinkServiceConnections: [urnOf(account())] } },
      ]));
  });

  describe("azure-network-key-vault-missing-private-endpoint (C4, stack)", () => {
    const p = keyVaultMissingPrivateEndpoint;
    /** The fixture vault tagged with another environment (`undefined`: no environment tag). */
    const vaultIn = (environment: string | undefined): ResourceSpec => {
      const v = vault();
      const { environment: _e, ...rest } = TAGS;
      return { ...v, props: { ...v.props, tags: environment === undefined ? rest : { ...TAGS, environment } } };
    };
    const prodVault = vaultIn("prod");
    const pe = (groupIds: unknown, id: unknown = VAULT_ID, key = "privateLinkServiceConnections"): ResourceSpec => ({
      type: network.PrivateEndpoint,
      name: "vault-pe",
      props: { subnet: { id: "subnet" }, [key]: [{ name: "vault", privateLinkServiceId: id, groupIds }] },
    });
    it("proves C4", () => expectControl(p, "C4"));
    it("passes a prod vault with a vault private endpoint (ids compared case-insensitively, manual connections too)", async () => {
      await expectStackPass(p, [prodVault, pe(["vault"])]);
      await expectStackPass(p, [prodVault, pe(["Vault"], VAULT_ID.toUpperCase(), "manualPrivateLinkServiceConnections")]);
    });
    it("reports a prod vault without one, with only a blob endpoint, or with an endpoint to another vault", async () => {
      for (const extra of [[], [pe(["blob"], ACCOUNT_ID)], [pe(["vault"], `${VAULT_ID}-other`)]]) {
        await expectStackViolations(
          p,
          [prodVault, ...extra],
          [
            [
              urnOf(prodVault),
              [
                'Key Vault kv (environment tag "prod") has no private endpoint for its vault sub-resource',
                'Fix: add a network.PrivateEndpoint with privateLinkServiceId = this vault\'s id and groupIds ["vault"]',
              ],
            ],
          ],
        );
      }
    });
    it("skips a dev vault by default (dev may leave the endpoint out for cost), and checks it when configured", async () => {
      await expectStackPass(p, [vault()]);
      await expectStackViolations(p, [vault()], [[urnOf(vault()), ['(environment tag "dev")']]], {
        config: { [p.name]: { environments: ["dev", "prod"] } },
      });
    });
    it("checks a vault without an environment tag (fail closed), and skips one whose tags are unknown (preview)", async () => {
      await expectStackViolations(p, [vaultIn(undefined)], [[urnOf(vaultIn(undefined)), ["(environment tag missing)"]]]);
      await expectStackPass(p, [{ ...vault(), props: { ...vault().props, tags: unknown("object") } }]);
    });
    it("matches by dependency while ids are unknown, and does not judge unknown connections or group ids (preview)", async () => {
      const byDep = (to: ResourceSpec): ResourceSpec => ({
        ...pe(["vault"], unknown()),
        propertyDependencies: { privateLinkServiceConnections: [urnOf(to)] },
      });
      await expectStackPass(p, [prodVault, byDep(prodVault)]);
      await expectStackViolations(p, [prodVault, account(), byDep(account())], [[urnOf(prodVault), ["has no private endpoint"]]]);
      await expectStackPass(p, [prodVault, pe(["vault"], unknown())]);
      await expectStackPass(p, [prodVault, pe(unknown("array"))]);
      await expectStackPass(p, [
        prodVault,
        { type: network.PrivateEndpoint, name: "vault-pe", props: { privateLinkServiceConnections: unknown("array") } },
      ]);
    });
    it("is not applicable without vaults", async () => expect((await onStack(p, [account()])).notApplicable).to.equal(true));
  });
});
