/** SageMaker policies (AWS), one concern per file. */
export * from "./domain-notebook";
export * from "./job-guardrails";
