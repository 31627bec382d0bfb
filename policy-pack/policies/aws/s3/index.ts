/** S3 policies (AWS), one concern per file. */
export * from "./buckets";
export * from "./public-access";
export * from "./bucket-policy-public";
export * from "./encryption";
export * from "./tls-only";
export * from "./access-logging";
export * from "./versioning";
export * from "./noncurrent-lifecycle";
export * from "./vpc-endpoint-only";
