// Open SQLite files and resident memory of a server process, from /proc.
// Local workerd keeps three SQLite files open per loaded SQLite-backed
// Durable Object, and the memory is split by mapping kind.

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Suffixes of the database, WAL and shared-memory files that SQLite in WAL mode keeps open per database. */
const SQLITE_SUFFIXES = ['.sqlite', '.sqlite-wal', '.sqlite-shm'] as const;

export interface OpenFiles {
  /** Every open file descriptor, sockets included. */
  total: number;
  /** Descriptors of SQLite databases, WALs and shared-memory files. */
  sqlite: number;
}

/** Counts the open files of `pid`, or returns undefined when the process is gone. */
export function openFiles(pid: number): OpenFiles | undefined {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }

  let sqlite = 0;
  for (const fd of fds) {
    const target = readLink(`/proc/${pid}/fd/${fd}`);
    if (target !== undefined && SQLITE_SUFFIXES.some((suffix) => target.endsWith(suffix))) sqlite += 1;
  }
  return { total: fds.length, sqlite };
}

/** Resident bytes of one process by the kind of mapping that contains them. */
export interface ResidentSplit {
  /** The brk heap (`[heap]`), where glibc's malloc puts small allocations of the main arena. */
  brkHeap: number;
  /** Anonymous mappings: V8's heap pages, malloc's other arenas and large allocations, thread stacks. */
  anonymous: number;
  /** SQLite's shared-memory files (`*.sqlite-shm`), which SQLite maps into memory. */
  sqliteShm: number;
  /** Other file mappings: the workerd binary, shared libraries. */
  otherFiles: number;
  total: number;
  /**
   * Anonymous resident bytes by 4 GiB-aligned address region (the address
   * shifted right by 32 bits, in hex). In workerd 1.20260310.1 one region is
   * V8's pointer compression cage, which contains the JavaScript heap, and
   * another is the 1 GiB reservation of TCMalloc, which serves malloc.
   */
  anonymousByRegion: Map<string, number>;
}

/** Sums the `Rss:` lines of /proc/PID/smaps by mapping kind, or returns undefined when the process is gone. */
export function residentSplit(pid: number): ResidentSplit | undefined {
  let smaps: string;
  try {
    smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return undefined;
  }

  const split: ResidentSplit = { brkHeap: 0, anonymous: 0, sqliteShm: 0, otherFiles: 0, total: 0, anonymousByRegion: new Map() };
  let kind: MappingKind = 'anonymous';
  let region = '';
  for (const line of smaps.split('\n')) {
    const header = MAPPING_HEADER.exec(line);
    if (header) {
      region = (header[1] ?? '').slice(0, -8) || '0';
      kind = mappingKind(header[2] ?? '');
      continue;
    }
    const rss = RSS_LINE.exec(line);
    if (!rss) continue;

    const bytes = Number(rss[1]) * 1024;
    split[kind] += bytes;
    split.total += bytes;
    if (kind === 'anonymous') split.anonymousByRegion.set(region, (split.anonymousByRegion.get(region) ?? 0) + bytes);
  }
  return split;
}

/** A mapping's first line: address range, permissions, offset, device, inode, then an optional path. */
const MAPPING_HEADER = /^([0-9a-f]+)-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/;
const RSS_LINE = /^Rss:\s+(\d+) kB$/;

type MappingKind = 'brkHeap' | 'anonymous' | 'sqliteShm' | 'otherFiles';

function mappingKind(path: string): MappingKind {
  if (path === '[heap]') return 'brkHeap';
  if (path === '' || path.startsWith('[')) return 'anonymous';
  if (path.endsWith('.sqlite-shm')) return 'sqliteShm';
  return 'otherFiles';
}

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    // The descriptor closed while the caller counted.
    return undefined;
  }
}
