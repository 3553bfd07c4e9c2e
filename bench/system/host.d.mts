export function freePort(): Promise<number>;
export function holdsFileUnder(pid: number | string, dir: string): boolean;
export function listeningPorts(pid: number | string): number[];
