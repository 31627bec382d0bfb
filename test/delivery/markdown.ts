/**
 * Commands shown in Markdown: the lines of fenced code blocks, as a reader
 * would type them, and the pulumi preview/up among them with their stack.
 */

/** Command lines inside fenced code blocks (`\` continuations joined, `$ ` prompts and ` # comments` dropped). */
export function codeLines(markdown: string): string[] {
  const out: string[] = [];
  let inFence = false;
  let pending = "";
  for (const raw of markdown.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("```")) {
      inFence = !inFence;
      pending = "";
      continue;
    }
    if (!inFence) continue;
    const joined = (pending + " " + line.replace(/^\$\s+/, "").replace(/\s+#\s.*$/, "")).trim();
    if (joined.endsWith("\\")) {
      pending = joined.slice(0, -1).trim();
      continue;
    }
    pending = "";
    if (joined) out.push(joined.replace(/\s+/g, " "));
  }
  return out;
}

export const isPulumiOperation = (l: string) => /^pulumi (preview|up)\b/.test(l);

/**
 * The pulumi preview/up lines of a document, each with the stack it runs on
 * made explicit: a line without `--stack` runs on the stack the last
 * `pulumi stack select <stack>` before it selected.
 */
export function pulumiOperations(lines: readonly string[]): string[] {
  let selected: string | undefined;
  const out: string[] = [];
  for (const l of lines) {
    const select = /^pulumi stack select (\S+)$/.exec(l);
    if (select) selected = select[1];
    if (!isPulumiOperation(l)) continue;
    out.push(/ --stack /.test(l) || selected === undefined ? l : l.replace(/^pulumi (preview|up)/, `pulumi $1 --stack ${selected}`));
  }
  return out;
}
