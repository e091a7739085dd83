// The `spgdataset` executable (package.json "bin"); tsup adds the shebang.
import { runCli } from './run-cli';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`spgdataset: internal error:\n${(error as Error)?.stack ?? error}\n`);
    process.exit(2);
  },
);
