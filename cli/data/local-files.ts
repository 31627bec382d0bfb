/**
 * The local side of a push: the regular files under DIR, each with its
 * relative path (forward slashes), size and SHA-256.
 *
 * Refused, all at once (exit 2, nothing sent): a symlink whose target lies
 * outside DIR, a symlink to a directory (never followed: no cycles, no
 * duplicates), sockets, FIFOs and devices, and paths that cannot become an
 * object key under the dataset prefix (layout.ts). A symlink to a file
 * inside DIR is read as that file.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { show, UsageError } from "../train/errors";
import { relativePathProblem } from "./layout";

export interface LocalFile {
  /** Relative to DIR, '/'-separated. */
  readonly rel: string;
  readonly abs: string;
  readonly size: number;
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/** Lists DIR's files (sorted by relative path) or throws one UsageError naming every problem. */
export function listLocalFiles(dir: string, keyPrefix: string): LocalFile[] {
  let root: string;
  try {
    root = fs.realpathSync(dir);
  } catch (e) {
    throw new UsageError([
      `DIR ${show(dir)}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); allowed: an existing directory`,
    ]);
  }
  if (!fs.statSync(root).isDirectory())
    throw new UsageError([`DIR ${show(dir)}: is not a directory; allowed: a directory of files to upload`]);

  const problems: string[] = [];
  const files: LocalFile[] = [];
  const walk = (abs: string, rel: string): void => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const childAbs = path.join(abs, entry.name);
      const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
      const lst = fs.lstatSync(childAbs);
      let real = childAbs;
      let st = lst;
      if (lst.isSymbolicLink()) {
        try {
          real = fs.realpathSync(childAbs);
          st = fs.statSync(real);
        } catch {
          problems.push(`${show(childRel)}: a broken symlink (${fs.readlinkSync(childAbs)}); remove it or point it at a file inside DIR`);
          continue;
        }
        if (!inside(root, real)) {
          problems.push(
            `${show(childRel)}: a symlink to ${show(real)}, outside DIR; refused (only files inside DIR are uploaded): copy the file into DIR instead`,
          );
          continue;
        }
        if (st.isDirectory()) {
          problems.push(
            `${show(childRel)}: a symlink to a directory; directory symlinks are not followed: replace it with the directory or remove it`,
          );
          continue;
        }
      }
      if (st.isDirectory()) {
        walk(childAbs, childRel);
      } else if (st.isFile()) {
        const problem = relativePathProblem(childRel, keyPrefix);
        if (problem) problems.push(`${show(childRel)}: ${problem}`);
        else files.push({ rel: childRel, abs: real, size: st.size });
      } else {
        problems.push(`${show(childRel)}: not a regular file (socket, FIFO or device); remove it from DIR`);
      }
    }
  };
  walk(root, "");
  if (problems.length > 0) throw new UsageError(problems);
  if (files.length === 0) throw new UsageError([`DIR ${show(dir)}: has no files; allowed: a directory holding the dataset's files`]);
  return files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** SHA-256 (hex) of a file, streamed. */
export function hashFile(abs: string, onBytes?: (n: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = crypto.createHash("sha256");
    const s = fs.createReadStream(abs, { highWaterMark: 1 << 20 });
    s.on("data", (b) => {
      h.update(b as Buffer);
      onBytes?.((b as Buffer).length);
    });
    s.on("error", reject);
    s.on("end", () => resolve(h.digest("hex")));
  });
}
