/** network policies (azure), one concern per file. */
export * from "./network";
