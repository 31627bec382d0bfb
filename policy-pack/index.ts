// Assembles the policy pack (skeleton: issue 5 adds the policies).
import { PolicyPack } from "@pulumi/policy";

new PolicyPack("secure-ml-training", {
  policies: [],
});
