import { recordStack } from "../tools/recorder";
recordStack("/work/main", process.argv[2] ?? "dev").then((r) => { console.error("resources", r.resources.length); process.exit(0); });
