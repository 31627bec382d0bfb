/**
 * Tests of policy-pack/policies/azure/storage/ingest-ip-rules.ts (and the explicit opening the
 * public-network-access policy of account.ts accepts): compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import * as storage from "@pulumi/azure-native/storage";
import { accountDisablePublicNetworkAccess } from "../../../../../policy-pack/policies/azure/storage/account";
import {
  accountDisallowIpRulesInProd,
  accountEnforceAcceptedIpRules,
  ipRuleProblem,
} from "../../../../../policy-pack/policies/azure/storage/ingest-ip-rules";
import { expectControl, expectPass, expectViolation } from "../../../expect";
import type { ResourceSpec } from "../../../harness";

describe("policy pack: Azure Storage, IP rules (issue 16)", () => {
  describe("Azure storage firewall: IP rules", () => {
    const account = (ipRules: unknown[], extra: Record<string, unknown> = {}, environment = "dev"): ResourceSpec => ({
      type: storage.StorageAccount,
      name: "account",
      props: {
        tags: { environment },
        publicNetworkAccess: ipRules.length > 0 ? "Enabled" : "Disabled",
        networkRuleSet: {
          defaultAction: "Deny",
          bypass: "None",
          ipRules: ipRules.map((v) => ({ iPAddressOrRange: v, action: "Allow" })),
          virtualNetworkRules: [],
        },
        ...extra,
      },
    });

    it("azure-storage-account-enforce-accepted-ip-rules proves C11 and reports what Azure refuses", async () => {
      const p = accountEnforceAcceptedIpRules;
      expectControl(p, "C11");
      await expectPass(p, account(["203.0.113.7", "198.51.100.0/24"]));
      await expectViolation(p, account(["10.1.0.0/16"]), ['"10.1.0.0/16"', "RFC 1918", "Azure will refuse"]);
      await expectViolation(p, account(["203.0.113.7/32"]), ["/32 prefix, which Azure does not support"]);
      await expectViolation(p, account(["2001:db8::/32"]), ["IPv4 only"]);
      expect(ipRuleProblem("172.31.255.255")).to.include("RFC 1918");
      expect(ipRuleProblem("172.32.0.1")).to.equal(undefined);
    });

    it("azure-storage-account-disallow-ip-rules-in-prod proves C4: none on a prod account, fine in dev", async () => {
      const p = accountDisallowIpRulesInProd;
      expectControl(p, "C4");
      await expectPass(p, account(["203.0.113.7"]));
      await expectPass(p, account([], {}, "prod"));
      await expectViolation(p, account(["203.0.113.7"], {}, "prod"), ['"203.0.113.7"', "from the internet", "remove dataIngestCidrs"]);
    });

    it("azure-storage-account-disable-public-network-access allows Enabled only as the explicit opening", async () => {
      const p = accountDisablePublicNetworkAccess;
      await expectPass(p, account([]));
      await expectPass(p, account(["203.0.113.7"]));
      await expectViolation(p, account([], { publicNetworkAccess: "Enabled" }), [
        'publicNetworkAccess is "Enabled", not "Disabled"',
        "not an explicit opening",
      ]);
      await expectViolation(
        p,
        account(["203.0.113.7"], { networkRuleSet: { defaultAction: "Allow", ipRules: [{ iPAddressOrRange: "203.0.113.7" }] } }),
        ["not an explicit opening"],
      );
      await expectViolation(
        p,
        account(["203.0.113.7"], {
          networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [{ iPAddressOrRange: "203.0.113.7" }] },
        }),
        ["not an explicit opening"],
      );
    });
  });
});
