/**
 * Azure authorization (C6), network (C4), monitoring (C8) and Machine
 * Learning (C3, C7) policies: compliant inputs pass; insecure ones report
 * what, where and how; stack policies match resources by id or dependency.
 */
import { expect } from "chai";
import * as authorization from "@pulumi/azure-native/authorization";
import * as ml from "@pulumi/azure-native/machinelearningservices";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import {
  broadScope,
  roleAssignmentDisallowBroadScope,
  roleAssignmentDisallowPrivilegedRoles,
  roleGuid,
} from "../../../policy-pack/policies/azure/authorization/role-assignment";
import { computeDisablePublicIp, workspaceDisablePublicNetworkAccess } from "../../../policy-pack/policies/azure/machinelearningservices/workspace-compute";
import { blobServiceMissingDiagnosticSettings, vaultMissingDiagnosticSettings } from "../../../policy-pack/policies/azure/insights/diagnostic-settings";
import { keyVaultMissingPrivateEndpoint, securityGroupDisallowInternetInbound, storageAccountMissingPrivateEndpoint, vnetDisallowPublicIpAndNat } from "../../../policy-pack/policies/azure/network/network";
import { ResourceSpec, unknown, urnOf } from "../harness";
import { expectControl, expectNotApplicable, expectPass, expectStackPass, expectStackViolations, expectViolation, onStack } from "../expect";
import { ACCOUNT_ID, IDENTITY_ID, RG, SUB, TAGS, VAULT_ID, account, blobService, vault } from "./fixtures";

const READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"; // Storage Blob Data Reader
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const CONTAINER_SCOPE = `${ACCOUNT_ID}/blobServices/default/containers/data`;

function assignment(props: Record<string, unknown> = {}): ResourceSpec {
  return {
    type: authorization.RoleAssignment,
    name: "reader",
    props: { principalId: "p", principalType: "ServicePrincipal", roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER}`, scope: CONTAINER_SCOPE, ...props },
  };
}

describe("policy pack: Azure authorization", () => {
  describe("azure-authorization-role-assignment-disallow-privileged-roles (C6)", () => {
    const p = roleAssignmentDisallowPrivilegedRoles;
    it("proves C6", () => expectControl(p, "C6"));
    it("passes a data role", () => expectPass(p, assignment()));
    it("reports Owner, Contributor and User Access Administrator by GUID, in any id form", async () => {
      await expectViolation(p, assignment({ roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}` }), ["privileged role Owner", "property roleDefinitionId"]);
      await expectViolation(p, assignment({ roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/B24988AC-6180-42A0-AB88-20F7382DD24C/" }), ["Contributor"]);
      await expectViolation(p, assignment({ roleDefinitionId: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9" }), ["User Access Administrator"]);
    });
    it("reads the list from config", () => expectViolation(p, assignment(), [READER], { config: { [p.name]: { disallowedRoleDefinitionIds: [READER] } } }));
    it("extracts role GUIDs", () => expect(roleGuid(`/x/roleDefinitions/${OWNER.toUpperCase()}`)).to.equal(OWNER));
  });

  describe("azure-authorization-role-assignment-disallow-broad-scope (C6)", () => {
    const p = roleAssignmentDisallowBroadScope;
    it("proves C6", () => expectControl(p, "C6"));
    it("passes container, key and vault scopes", async () => {
      await expectPass(p, assignment());
      await expectPass(p, assignment({ scope: `${VAULT_ID}/keys/data-key` }));
    });
    it("reports subscription, resource group and management group scopes", async () => {
      await expectViolation(p, assignment({ scope: SUB }), ["scoped to a whole subscription", "property scope"]);
      await expectViolation(p, assignment({ scope: `${RG}/` }), ["whole resource group"]);
      await expectViolation(p, assignment({ scope: "/providers/Microsoft.Management/managementGroups/root" }), ["management group"]);
      expect(broadScope(`${RG}/providers/Microsoft.Storage/storageAccounts/x`)).to.equal(undefined);
    });
    it("does not judge an unknown scope (preview)", () => expectPass(p, assignment({ scope: unknown() })));
  });
});

describe("policy pack: Azure network", () => {
  describe("azure-network-vnet-disallow-public-ip-and-nat (C4)", () => {
    const p = vnetDisallowPublicIpAndNat;
    it("proves C4", () => expectControl(p, "C4"));
    it("reports public IPs and NAT gateways", async () => {
      await expectViolation(p, { type: network.PublicIPAddress, name: "pip", props: {} }, ["PublicIPAddress exposes the environment"]);
      await expectViolation(p, { type: network.NatGateway, name: "nat", props: {} }, ["NatGateway"]);
    });
    it("does not apply to a private endpoint", () => expectNotApplicable(p, { type: network.PrivateEndpoint, name: "pe", props: {} }));
  });

  describe("azure-network-security-group-disallow-internet-inbound (C4)", () => {
    const p = securityGroupDisallowInternetInbound;
    const rule = (r: Record<string, unknown>) => ({ name: "r", access: "Allow", direction: "Inbound", protocol: "Tcp", priority: 100, sourceAddressPrefix: "VirtualNetwork", destinationPortRange: "443", ...r });
    it("proves C4", () => expectControl(p, "C4"));
    it("passes rules from the virtual network and internet denies", () =>
      expectPass(p, { type: network.NetworkSecurityGroup, name: "nsg", props: { securityRules: [rule({}), rule({ access: "Deny", sourceAddressPrefix: "*" })] } }));
    it("reports inbound Allow from *, Internet or 0.0.0.0/0", async () => {
      await expectViolation(p, { type: network.NetworkSecurityGroup, name: "nsg", props: { securityRules: [rule({}), rule({ name: "ssh", sourceAddressPrefix: "Internet" })] } }, ['rule "ssh" admits Internet', "securityRules[1].sourceAddressPrefix"]);
      await expectViolation(p, { type: network.SecurityRule, name: "r", props: rule({ sourceAddressPrefix: undefined, sourceAddressPrefixes: ["10.0.0.0/8", "0.0.0.0/0"] }) }, ["admits 0.0.0.0/0"]);
    });
  });

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
      expectStackPass(p, [account(), { ...pe(["blob"], unknown()), propertyDependencies: { privateLinkServiceConnections: [urnOf(account())] } }]));
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
        await expectStackViolations(p, [prodVault, ...extra], [
          [urnOf(prodVault), ['Key Vault kv (environment tag "prod") has no private endpoint for its vault sub-resource', 'Fix: add a network.PrivateEndpoint with privateLinkServiceId = this vault\'s id and groupIds ["vault"]']],
        ]);
      }
    });
    it("skips a dev vault by default (dev may leave the endpoint out for cost), and checks it when configured", async () => {
      await expectStackPass(p, [vault()]);
      await expectStackViolations(p, [vault()], [[urnOf(vault()), ['(environment tag "dev")']]], { config: { [p.name]: { environments: ["dev", "prod"] } } });
    });
    it("checks a vault without an environment tag (fail closed), and skips one whose tags are unknown (preview)", async () => {
      await expectStackViolations(p, [vaultIn(undefined)], [[urnOf(vaultIn(undefined)), ["(environment tag missing)"]]]);
      await expectStackPass(p, [{ ...vault(), props: { ...vault().props, tags: unknown("object") } }]);
    });
    it("matches by dependency while ids are unknown, and does not judge unknown connections or group ids (preview)", async () => {
      const byDep = (to: ResourceSpec): ResourceSpec => ({ ...pe(["vault"], unknown()), propertyDependencies: { privateLinkServiceConnections: [urnOf(to)] } });
      await expectStackPass(p, [prodVault, byDep(prodVault)]);
      await expectStackViolations(p, [prodVault, account(), byDep(account())], [[urnOf(prodVault), ["has no private endpoint"]]]);
      await expectStackPass(p, [prodVault, pe(["vault"], unknown())]);
      await expectStackPass(p, [prodVault, pe(unknown("array"))]);
      await expectStackPass(p, [prodVault, { type: network.PrivateEndpoint, name: "vault-pe", props: { privateLinkServiceConnections: unknown("array") } }]);
    });
    it("is not applicable without vaults", async () => expect((await onStack(p, [account()])).notApplicable).to.equal(true));
  });
});

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
    it("passes a blob service diagnostic setting to Log Analytics", () => expectStackPass(p, [account(), blobService(), diag("blob-diag", `${ACCOUNT_ID}/blobServices/default`)]));
    it("reports a setting on the account instead of its blob service", () =>
      expectStackViolations(p, [account(), blobService(), diag("acct-diag", ACCOUNT_ID)], [[urnOf(account()), ["the blob service of storage account data has no diagnostic setting"]]]));
    it("reports a setting without a workspace or enabled logs", () => {
      const d = diag("blob-diag", `${ACCOUNT_ID}/blobServices/default`, { workspaceId: undefined, logs: [{ categoryGroup: "allLogs", enabled: false }] });
      return expectStackViolations(p, [account(), blobService(), d], [[urnOf(d), ["no Log Analytics workspaceId and no enabled log category"]]]);
    });
    it("matches by dependency on the blob service while the URI is unknown (preview)", () =>
      expectStackPass(p, [account(), blobService(), { ...diag("blob-diag", unknown()), propertyDependencies: { resourceUri: [urnOf(blobService())] } }]));
  });

  describe("azure-keyvault-vault-missing-diagnostic-settings (C8, stack)", () => {
    const p = vaultMissingDiagnosticSettings;
    it("proves C8", () => expectControl(p, "C8"));
    it("passes a vault diagnostic setting", () => expectStackPass(p, [vault(), diag("kv-diag", VAULT_ID)]));
    it("reports a vault without one", () => expectStackViolations(p, [vault(), diag("blob-diag", `${ACCOUNT_ID}/blobServices/default`)], [[urnOf(vault()), ["Key Vault kv has no diagnostic setting"]]]));
    it("is not applicable without vaults", async () => expect((await onStack(p, [account()])).notApplicable).to.equal(true));
  });
});

describe("policy pack: Azure Machine Learning", () => {
  describe("azure-ml-workspace-disable-public-network-access (C3)", () => {
    const p = workspaceDisablePublicNetworkAccess;
    const ws = (props: Record<string, unknown> = {}): ResourceSpec => ({ type: ml.Workspace, name: "ws", props: { resourceGroupName: "rg", publicNetworkAccess: "Disabled", primaryUserAssignedIdentity: IDENTITY_ID, ...props } });
    it("proves C3", () => expectControl(p, "C3"));
    it("passes a private workspace", () => expectPass(p, ws()));
    it("reports public access, default or behind-VNet", async () => {
      await expectViolation(p, ws({ publicNetworkAccess: undefined }), ['not set (default "Enabled")']);
      await expectViolation(p, ws({ allowPublicAccessWhenBehindVnet: true }), ["allowPublicAccessWhenBehindVnet is true"]);
    });
  });

  describe("azure-ml-compute-disable-public-ip (C7)", () => {
    const p = computeDisablePublicIp;
    const cluster = (inner: Record<string, unknown> = {}, computeType = "AmlCompute"): ResourceSpec => ({
      type: ml.Compute,
      name: "cluster",
      props: { resourceGroupName: "rg", workspaceName: "ws", properties: { computeType, properties: { enableNodePublicIp: false, remoteLoginPortPublicAccess: "Disabled", vmSize: "STANDARD_D2S_V3", ...inner } } },
    });
    it("proves C7", () => expectControl(p, "C7"));
    it("passes a cluster without public IP or SSH", () => expectPass(p, cluster()));
    it("reports a public IP (the default) and public SSH", async () => {
      await expectViolation(p, cluster({ enableNodePublicIp: undefined }), ["enableNodePublicIp is not set (default true)"]);
      await expectViolation(p, cluster({ remoteLoginPortPublicAccess: "Enabled" }), ['remoteLoginPortPublicAccess is "Enabled"']);
    });
    it("checks compute instances and skips attached compute", async () => {
      await expectViolation(p, cluster({ enableNodePublicIp: true, remoteLoginPortPublicAccess: undefined }, "ComputeInstance"), ["enableNodePublicIp is true"]);
      await expectNotApplicable(p, cluster({}, "Databricks"));
    });
  });
});
