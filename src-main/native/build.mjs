// Builds the optional native RNN kernel (src-main/native/build/Release/unfold_rnn.node) with
// node-gyp over the system OpenBLAS. It must never fail an install: on any problem (no
// compiler, no libopenblas-dev, no node-gyp, no headers) it prints ONE line and exits 0, and
// the engine keeps using its TF.js kernels. UNFOLD_SKIP_NATIVE=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function giveUp(reason) {
  console.log(`native RNN kernel not built: ${reason}; using the TF.js kernels`);
  process.exit(0);
}

/** node-gyp: the project's copy if installed, else the one npm runs scripts with, else npm's bundled one. */
function findNodeGyp() {
  const candidates = [];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a project dependency
  }
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  if (process.env.npm_execpath)
    candidates.push(
      join(dirname(process.env.npm_execpath), '../node_modules/node-gyp/bin/node-gyp.js'),
    );
  candidates.push(
    join(
      dirname(process.execPath),
      '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    ),
  );
  return candidates.find((path) => existsSync(path)) ?? null;
}

/** Node's headers: a local install (e.g. /usr/include/node) avoids a download. */
function nodedirArgs() {
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include/node/node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

if (process.env.UNFOLD_SKIP_NATIVE === '1') giveUp('UNFOLD_SKIP_NATIVE=1');
const nodeGyp = findNodeGyp();
if (!nodeGyp) giveUp('node-gyp not found');
const result = spawnSync(
  process.execPath,
  [
    nodeGyp,
    'rebuild',
    '--release',
    ...nodedirArgs(),
    `--jobs=${process.env.UNFOLD_NATIVE_JOBS ?? '2'}`,
  ],
  { cwd: here, encoding: 'utf8', env: process.env },
);
if (result.error) giveUp(result.error.message);
if (result.status !== 0) {
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  const reason = /cblas\.h|lopenblas/.test(output)
    ? 'OpenBLAS not found (apt-get install libopenblas-dev)'
    : /(g\+\+|c\+\+|cc): (not found|No such file)/.test(output)
      ? 'no C++ compiler (apt-get install g++)'
      : /not found: make|make: (not found|No such file)/.test(output)
        ? 'make not found'
        : /gyp ERR! find Python|Could not find any Python/i.test(output)
          ? 'python3 not found (node-gyp needs it)'
          : `node-gyp failed (exit ${result.status}): ${lastErrorLine(output)}`;
  giveUp(reason);
}
console.log('native RNN kernel built: src-main/native/build/Release/unfold_rnn.node');

function lastErrorLine(output) {
  const lines = output.split('\n').filter((line) => /error/i.test(line));
  return (lines[0] ?? output.trim().split('\n').pop() ?? '').trim().slice(0, 200);
}
