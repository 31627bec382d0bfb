/** authorization policies (azure), one concern per file. */
export * from "./role-assignment";
