/** machinelearningservices policies (azure), one concern per file. */
export * from "./workspace-compute";
