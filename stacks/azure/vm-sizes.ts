/**
 * Azure VM size names, as Azure Resource Manager takes them (`vmSize` of an
 * Azure ML AmlCompute cluster): the `Standard_` tier prefix, then the size
 * in Azure's naming convention
 * "[Family] + [Sub-family]* + [# of vCPUs] + [Constrained vCPUs]* + [Additive Features] + [Accelerator Type]* + [Version]"
 * (https://learn.microsoft.com/azure/virtual-machines/vm-naming-conventions), with `_` between the
 * parts after the additive features: Standard_DS3_v2, Standard_NC6s_v3, Standard_NC24ads_A100_v4,
 * Standard_ND96isr_H100_v5, Standard_E16-4ds_v5. The check is syntactic: it refuses what cannot be a
 * size name (a typo such as `DS3_v2`, `Standard DS3`, `ml.g5.xlarge`); whether a size is offered in a
 * region is for Azure to say.
 */

export const AZURE_VM_SIZE_RE = /^Standard_[A-Z]{1,3}\d{1,3}(?:-\d{1,3})?[a-z]*(?:_(?!v\d)[A-Za-z][A-Za-z0-9]*)*(?:_v\d{1,2})?$/;

export const VM_SIZE_EXAMPLES = "Standard_DS3_v2, Standard_NC4as_T4_v3, Standard_NC24ads_A100_v4, Standard_ND96isr_H100_v5";

export const VM_SIZE_RULE = `an Azure VM size name: Standard_ + family letters + vCPU count + lower-case feature letters, then optional _<accelerator> and _v<version> (Azure's VM naming convention), e.g. ${VM_SIZE_EXAMPLES}`;

export function isAzureVmSize(size: string): boolean {
  return size.length <= 64 && AZURE_VM_SIZE_RE.test(size);
}

/** GPU sizes: the N family (NC, ND, NV, NG: "N-family ... GPU-enabled"). */
export function isGpuVmSize(size: string): boolean {
  return isAzureVmSize(size) && /^Standard_N/.test(size);
}
