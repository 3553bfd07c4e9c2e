/** A running profiler; `stop` returns the V8 CPU profile. */
export interface RunningProfile {
  stop(): Promise<unknown>;
}
export function startWorkerProfile(inspectorPort: number): Promise<RunningProfile>;
export function startNodeProfile(): Promise<RunningProfile>;
export function saveProfile(profile: unknown, path: string, top?: number): string[];
export function summarizeProfile(profile: unknown, top: number): string[];
