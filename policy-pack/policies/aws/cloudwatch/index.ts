/** cloudwatch policies (aws), one concern per file. */
export * from "./log-group";
