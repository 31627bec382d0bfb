/** keyvault policies (azure), one concern per file. */
export * from "./vault-key";
