/** storage policies (azure), one concern per file. */
export * from "./account";
