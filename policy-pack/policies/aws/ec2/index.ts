/** ec2 policies (aws), one concern per file. */
export * from "./network";
