/** insights policies (azure), one concern per file. */
export * from "./diagnostic-settings";
