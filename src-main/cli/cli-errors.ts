import { toErrorData } from '../domain/errors';

/** Prints an error the way every command does (`error [CODE]: message`) and sets the exit code. */
export function reportCliError(error: unknown, json: boolean): void {
  const data = toErrorData(error);
  if (json) process.stdout.write(JSON.stringify({ error: data }) + '\n');
  else process.stderr.write(`error [${data.code}]: ${data.message}\n`);
  process.exitCode = 1;
}
