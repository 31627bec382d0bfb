/** A recorded resource for model tests: a custom resource without inputs, outputs, links or options, plus `partial`. */
import type { RecordedResource } from "../../engine/recorder";

export function recorded(partial: Partial<RecordedResource> & Pick<RecordedResource, "urn" | "type" | "name">): RecordedResource {
  return {
    custom: true,
    wireInputs: {},
    inputs: {},
    outputs: {},
    dependencies: [],
    propertyDependencies: {},
    options: { ignoreChanges: [], replaceOnChanges: [], additionalSecretOutputs: [] },
    ...partial,
  };
}
