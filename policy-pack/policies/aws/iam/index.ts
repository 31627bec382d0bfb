/** iam policies (aws), one concern per file. */
export * from "./identity-policies";
