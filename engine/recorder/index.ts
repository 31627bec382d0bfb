/** Record a stack of a Pulumi project from its files: `Pulumi.yaml` + `Pulumi.<stack>.yaml`. */
import { readProject, readStackFile } from "./stack-file";
import { recordProgram, Recording } from "./record";

export * from "./record";
export * from "./stack-file";

export interface RecordStackOptions {
  /** Replace or add config values (fully qualified keys) on top of the stack file. */
  readonly overrides?: Readonly<Record<string, string | undefined>>;
  readonly preview?: boolean;
}

export async function recordStack(programDir: string, stack: string, options: RecordStackOptions = {}): Promise<Recording> {
  const project = readProject(programDir);
  const file = readStackFile(project, stack);
  const config: Record<string, string> = { ...file.config };
  for (const [k, v] of Object.entries(options.overrides ?? {})) {
    if (v === undefined) delete config[k];
    else config[k] = v;
  }
  return recordProgram({
    programDir,
    main: project.main,
    project: project.name,
    stack,
    config,
    secretKeys: file.secretKeys,
    preview: options.preview,
  });
}
