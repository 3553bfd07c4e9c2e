export function freePort(): Promise<number>;
export function holdsFileUnder(pid: number | string, dir: string): boolean;
