/**
 * The backend Unfold should pick on this machine: tfjs-node where it installed (a user's machine
 * with internet), else wasm. Tests compare against this rather than assuming one machine.
 */
export async function expectedBackend(): Promise<'tensorflow' | 'wasm'> {
  const name = '@tensorflow/tfjs-node';
  try {
    await import(/* @vite-ignore */ name);
    return 'tensorflow';
  } catch {
    return 'wasm';
  }
}
