/**
 * The mutation catalog: every security-weakening mutation the suite applies
 * (by area), and the known gaps it probes without counting them.
 */
import type { Mutation } from "../types";
import { awsIdentityMutations } from "./aws-identity";
import { awsNetworkMutations } from "./aws-network";
import { awsStorageMutations } from "./aws-storage";
import { azureMutations } from "./azure";
import { tagMutations } from "./tags";
import { awsCoverageMutations } from "./aws-coverage";
import { azureCoverageMutations } from "./azure-coverage";
import { awsDeployableMutations } from "./aws-deployable";
import { azureDeployableMutations } from "./azure-deployable";
import { dataIngestMutations } from "./data-ingest";

export { knownGaps } from "./gaps";

export const MUTATIONS: readonly Mutation[] = [
  ...awsStorageMutations,
  ...awsIdentityMutations,
  ...awsNetworkMutations,
  ...azureMutations,
  ...tagMutations,
  ...awsCoverageMutations,
  ...azureCoverageMutations,
  ...awsDeployableMutations,
  ...azureDeployableMutations,
  ...dataIngestMutations,
];
