import { stat } from 'node:fs/promises';
import type { AudioAnalysis } from '../../api/audio';

/**
 * The last few analyses, keyed by file and its size and modification time: reopening a take
 * (or switching back and forth between two) is instant, and a file changed on disk is
 * analysed again. Small on purpose: one 10-minute analysis holds ~27 MB.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, Promise<AudioAnalysis>>();

  constructor(private readonly capacity = 3) {}

  async get(path: string, analyse: () => Promise<AudioAnalysis>): Promise<AudioAnalysis> {
    const info = await stat(path);
    const key = `${path}\0${info.size}\0${info.mtimeMs}`;
    let entry = this.entries.get(key);
    if (entry) {
      // Most recently used last.
      this.entries.delete(key);
    } else {
      entry = analyse();
      // A failed analysis is not kept.
      entry.catch(() => this.entries.delete(key));
    }
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return entry;
  }
}
