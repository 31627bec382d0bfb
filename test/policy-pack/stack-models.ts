/**
 * The stack models of a shipped stack as the check builds them: all values
 * known (a deployment) and as a preview (unknown values), for tests that
 * drive the pack with the analyzer requests of real stacks.
 */
import { ROOT, runStack } from "../harness";
import { buildStackModel, StackModel } from "../../engine/model";
import { readProject, readStackFile, recordStack } from "../../engine/recorder";

export function modelOf(stack: string, recording: Awaited<ReturnType<typeof runStack>>): StackModel {
  const file = readStackFile(readProject(ROOT), stack);
  return buildStackModel({ recording, programDir: ROOT, config: file.config, secretKeys: file.secretKeys });
}

/** [known values, preview] models of `stack`. */
export async function stackModels(stack: string): Promise<StackModel[]> {
  return [modelOf(stack, await runStack(stack)), modelOf(stack, await recordStack(ROOT, stack, { preview: true }))];
}
