/** kms policies (aws), one concern per file. */
export * from "./key";
