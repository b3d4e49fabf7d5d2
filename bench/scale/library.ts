/** The library's contenders of the scale benchmark (filled in once AsyncJob is on this branch). */
import type { Watching } from './measure.js';

export const contenders: Record<string, (base: string, apiKey: string, infos: readonly unknown[], intervalMs: number) => Watching> = {};
