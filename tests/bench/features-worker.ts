/** One worker of the folder benchmark: node --import tsx features-worker.ts DIR FILE... */
import { extractFolder } from './features-folder';

const [folder, ...files] = process.argv.slice(2);
if (!folder) throw new Error('usage: features-worker.ts DIR FILE...');
await extractFolder(folder, files);
