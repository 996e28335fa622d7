#!/usr/bin/env node
// The `unfold` command: runs the CLI that `npm run build` (and `npm ci`) put in out/main.
import { existsSync } from 'node:fs';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'error [NOT_BUILT]: Unfold is not built yet: run `npm run build` in its folder.\n',
  );
  process.exit(1);
}
await import(cli.href);
