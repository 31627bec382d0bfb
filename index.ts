// Entry point of the Pulumi program (`main` in Pulumi.yaml). Pulumi calls the
// exported function and publishes what it returns as the stack outputs.
import { buildEnvironment } from "./stacks/program";

export = buildEnvironment;
